import type { Browser, Page } from 'playwright-core';
import { allowDomains, makeAdmin } from '../support/builders.js';
import { Harness } from '../support/harness.js';
import { someone, type Someone } from '../support/people.js';
import { launch, person, screenshots, seriousViolations, signInAs } from './browser.js';

const LONG = 120_000;

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await Harness.start({ worker: true });
  browser = await launch();
  await allowDomains(h, await makeAdmin(h));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const emailOf = async (p: Someone): Promise<string> =>
  (
    (await h.db.query('SELECT email FROM users WHERE id = $1', [p.id])) as {
      rows: { email: string }[];
    }
  ).rows[0].email;

const PERMISSIONS_OF = `query($slug: String) { group(slug: $slug) { id viewerPermissions } }`;

const CREATE = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id slug name } }`;

/** The text a person reads in the page's main region. */
const toTop = (page: Page) => page.evaluate('window.scrollTo(0, 0)');

const mainText = async (page: Page) =>
  ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('groups in the web app', () => {
  it(
    'a manager creates a private group, approves a request and withdraws POST from members: the member’s composer goes',
    async () => {
      const manager = await someone(h, 'MEMBER', 'ACTIVE', 'Mona Manager');
      const member = await someone(h, 'MEMBER', 'ACTIVE', 'Paul Member');

      // The manager creates the group in the UI.
      const m = await person(browser, h);
      await signInAs(m.page, await emailOf(manager));
      await m.page.goto('/groups');
      await m.page.getByRole('link', { name: 'Create a group' }).click();
      await m.page.waitForURL('**/groups/new');
      await m.page.getByRole('heading', { level: 1, name: 'Create a group' }).waitFor();
      expect(await seriousViolations(m.page)).toEqual([]);
      await m.page.getByLabel('Name', { exact: true }).fill('Finance Team');
      await m.page.getByLabel('Description').fill('Budgets, closing and forecasts.');
      await m.page.getByRole('radio', { name: 'Private' }).check();
      await m.page.getByRole('radio', { name: 'Join on request' }).check();
      await m.page.getByRole('button', { name: 'Create the group' }).click();
      await m.page.waitForURL('**/groups/finance-team');
      await m.page.getByRole('heading', { level: 1, name: 'Finance Team' }).waitFor();
      const header = await mainText(m.page);
      expect(header).toContain('Private');
      expect(header).toContain('Join on request');
      expect(header).toContain('1 member');
      expect(header).toContain('Your role: Owner');

      // The member finds it, sees its name but not its content, and asks to join.
      const p = await person(browser, h);
      await signInAs(p.page, await emailOf(member));
      await p.page.goto('/groups?tab=all');
      await p.page.getByRole('link', { name: 'Finance Team' }).click();
      await p.page.getByRole('heading', { level: 1, name: 'Finance Team' }).waitFor();
      expect(await mainText(p.page)).toContain('Only the group’s members read its posts');
      await p.page.getByRole('button', { name: 'Ask to join' }).click();
      await p.page.getByText('Request pending: a manager will accept or refuse it.').waitFor();
      expect(await p.page.getByRole('textbox', { name: 'Write a post' }).count()).toBe(0);

      // The manager approves the request in the settings page.
      await m.page.getByRole('link', { name: 'Manage the group' }).click();
      await m.page.waitForURL('**/groups/finance-team/settings');
      await m.page.getByText('1 request waits.').waitFor();
      await m.page.getByRole('button', { name: 'Accept Paul Member' }).click();
      await m.page.getByText('Paul Member is now a member.').waitFor();
      await m.page.getByText('No request waits.').waitFor();

      // Now a member, Paul reads the group and may post in it.
      await p.page.reload();
      await p.page.getByRole('textbox', { name: 'Write a post' }).waitFor();
      await p.page.getByRole('tab', { name: 'Members' }).click();
      await p.page.getByRole('tabpanel').getByText('2 members').waitFor();
      await p.page.getByRole('tabpanel').getByText('Paul Member').waitFor();
      expect(await p.page.getByRole('tabpanel').textContent()).toMatch(
        /Mona Manager.*Owner.*Paul Member.*Member|Paul Member.*Member.*Mona Manager.*Owner/,
      );
      const before = await h.ok(PERMISSIONS_OF, { slug: 'finance-team' }, member.token);
      expect(before.group.viewerPermissions).toContain('POST');
      // The member's home composer offers the group as an audience.
      const groupOptions = async () => {
        await p.page.goto('/');
        const audience = p.page.getByRole('combobox', { name: 'Audience' });
        await audience.waitFor();
        await audience
          .locator('option', { hasText: 'My followers' })
          .waitFor({ state: 'attached' });
        await p.page.waitForLoadState('networkidle');
        return audience.locator('option', { hasText: 'Finance Team' }).count();
      };
      expect(await groupOptions()).toBe(1);

      // The manager unticks POST for MEMBER and saves that row.
      const cell = m.page.getByRole('checkbox', { name: 'Member may post', exact: true });
      expect(await cell.isChecked()).toBe(true);
      const owner = m.page.getByRole('checkbox', { name: 'Owner may post', exact: true });
      expect(await owner.isChecked()).toBe(true);
      expect(await owner.isDisabled()).toBe(true);
      await cell.uncheck();
      await m.page.getByRole('button', { name: 'Save what Member may do' }).click();
      await m.page.getByRole('status').getByText('Saved: what Member may do.').waitFor();
      expect(await cell.isChecked()).toBe(false);
      expect(
        await m.page
          .getByRole('table')
          .getByRole('columnheader', { name: /Write posts in the group/ })
          .count(),
      ).toBe(1);
      expect(await seriousViolations(m.page)).toEqual([]);
      await toTop(m.page);
      await screenshots(m.page, 'group-settings.en');

      // The member reloads: no composer any more, and the API agrees.
      await p.page.goto('/groups/finance-team');
      await p.page.getByRole('heading', { level: 1, name: 'Finance Team' }).waitFor();
      await p.page.getByRole('tab', { name: 'Posts' }).waitFor();
      await p.page.getByText('No post in this group yet.').waitFor();
      expect(await p.page.getByRole('textbox', { name: 'Write a post' }).count()).toBe(0);
      const after = await h.ok(PERMISSIONS_OF, { slug: 'finance-team' }, member.token);
      expect(after.group.viewerPermissions).not.toContain('POST');
      expect(after.group.viewerPermissions).toContain('COMMENT');
      // Nor does the member's home composer offer the group any more.
      expect(await groupOptions()).toBe(0);

      // The group page as its owner sees it, and the list of groups.
      await m.page.goto('/groups/finance-team');
      await m.page.getByRole('textbox', { name: 'Write a post' }).waitFor();
      expect(await seriousViolations(m.page)).toEqual([]);
      await screenshots(m.page, 'group.en');
      await m.page.goto('/groups');
      await m.page.getByText('You belong to 1 group.').waitFor();
      expect(await seriousViolations(m.page)).toEqual([]);
      await screenshots(m.page, 'groups.en');
      await m.context.close();
      await p.context.close();
    },
    LONG,
  );

  it(
    'a non-member never sees a secret group: not in browse, search, a profile, nor by its address',
    async () => {
      const owner = await someone(h, 'MEMBER', 'ACTIVE', 'Olga Owner');
      const outsider = await someone(h, 'MEMBER', 'ACTIVE', 'Omar Outsider');
      const { createGroup: secret } = await h.ok(
        CREATE,
        { input: { name: 'Project Nightjar', visibility: 'SECRET', joinPolicy: 'INVITE' } },
        owner.token,
      );
      await h.ok(
        CREATE,
        { input: { name: 'Nightjar Open Forum', visibility: 'PUBLIC', joinPolicy: 'OPEN' } },
        owner.token,
      );
      // Its owner finds it by search (so its absence below is the rule, not an empty index).
      const SEARCH = `query($q: String!) { search(query: $q, kinds: [GROUP]) { nodes { __typename ... on Group { name } } } }`;
      const names = (r: { search: { nodes: { name?: string }[] } }) =>
        r.search.nodes.map((n) => n.name);
      expect(names(await h.ok(SEARCH, { q: 'Nightjar' }, owner.token))).toContain(
        'Project Nightjar',
      );
      const seen = names(await h.ok(SEARCH, { q: 'Nightjar' }, outsider.token));
      expect(seen).toContain('Nightjar Open Forum');
      expect(seen).not.toContain('Project Nightjar');
      const profile = await h.ok(
        `query($id: ID) { user(id: $id) { groups { nodes { name } } } }`,
        { id: owner.id },
        outsider.token,
      );
      expect(profile.user.groups.nodes.map((g: { name: string }) => g.name)).toEqual([
        'Nightjar Open Forum',
      ]);

      const { context, page } = await person(browser, h);
      await signInAs(page, await emailOf(outsider));
      await page.goto('/groups?tab=all');
      await page.getByRole('link', { name: 'Nightjar Open Forum' }).waitFor();
      expect(await mainText(page)).not.toContain('Project Nightjar');

      await page.goto('/groups?query=Nightjar');
      await page.getByText('1 group matches “Nightjar”').waitFor();
      expect(
        await page.getByRole('tab', { name: 'All groups' }).getAttribute('aria-selected'),
      ).toBe('true');
      expect(await mainText(page)).not.toContain('Project Nightjar');

      await page.goto('/groups/no-such-group-here');
      await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
      const madeUp = await mainText(page);
      for (const ref of [secret.slug, secret.id]) {
        await page.goto(`/groups/${ref}`);
        await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
        expect(await mainText(page)).toBe(madeUp);
        expect(await page.title()).toBe('Not found · Ruche');
        await page.goto(`/groups/${ref}/settings`);
        await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
        expect(await mainText(page)).toBe(madeUp);
      }
      expect(madeUp).not.toContain('Nightjar');

      // Not on the search page, nor on its owner's profile.
      await page.goto('/search?q=Nightjar');
      await page.getByRole('link', { name: /Nightjar Open Forum/ }).waitFor();
      expect(await mainText(page)).not.toContain('Project Nightjar');
      await page.goto(`/people/${owner.handle}`);
      await page.getByRole('heading', { level: 1, name: 'Olga Owner' }).waitFor();
      await page.getByText('Nightjar Open Forum').waitFor();
      expect(await mainText(page)).not.toContain('Project Nightjar');

      // Nor in a notification: a mention inside the secret group grants nothing; the one after it,
      // in a company-wide post, arrives alone.
      const POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
      const { handle } = await h
        .ok(`query { viewer { handle } }`, {}, outsider.token)
        .then((r) => r.viewer as { handle: string });
      await h.ok(
        POST,
        {
          input: {
            body: `Nightjar plans, @${handle}`,
            audience: { kind: 'GROUP', groupId: secret.id },
          },
        },
        owner.token,
      );
      await h.ok(
        POST,
        { input: { body: `Welcome aboard, @${handle}`, audience: { kind: 'NETWORK' } } },
        owner.token,
      );
      await page.goto('/notifications');
      await page
        .getByText(/Welcome aboard|mentioned you/)
        .first()
        .waitFor();
      await page.waitForTimeout(1500);
      await page.reload();
      await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
      expect(await mainText(page)).not.toContain('Nightjar');

      // Its owner reaches it by its id, as email links carry it.
      const o = await person(browser, h);
      await signInAs(o.page, await emailOf(owner));
      await o.page.goto(`/groups/${secret.id}`);
      await o.page.getByRole('heading', { level: 1, name: 'Project Nightjar' }).waitFor();
      expect(await mainText(o.page)).toContain('Secret');
      await o.context.close();
      await context.close();
    },
    LONG,
  );

  it(
    'draws the groups pages in French, with sub-groups as a tree, without serious violations',
    async () => {
      const owner = await someone(h, 'MEMBER', 'ACTIVE', 'Hélène Durand');
      await h.ok(`mutation { updateProfile(input: { locale: "fr" }) { id } }`, {}, owner.token);
      const { createGroup: top } = await h.ok(
        CREATE,
        {
          input: {
            name: 'Équipe Produit',
            description: 'Feuille de route, retours clients et lancements.',
            visibility: 'PUBLIC',
            joinPolicy: 'OPEN',
          },
        },
        owner.token,
      );
      const { createGroup: design } = await h.ok(
        CREATE,
        {
          input: { name: 'Design', visibility: 'PRIVATE', joinPolicy: 'REQUEST', parentId: top.id },
        },
        owner.token,
      );
      await h.ok(
        CREATE,
        {
          input: {
            name: 'Recherche utilisateur',
            visibility: 'PUBLIC',
            joinPolicy: 'OPEN',
            parentId: design.id,
          },
        },
        owner.token,
      );
      await h.ok(
        `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`,
        {
          input: {
            body: 'Bienvenue dans l’équipe Produit !',
            audience: { kind: 'GROUP', groupId: top.id },
          },
        },
        owner.token,
      );

      const { context, page } = await person(browser, h, { locale: 'fr' });
      await signInAs(page, await emailOf(owner));
      await page.goto('/groups');
      await page.getByRole('heading', { level: 1, name: 'Groupes' }).waitFor();
      await page.getByText('Vous êtes membre de 3 groupes.').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, 'groups.fr');

      await page.getByRole('link', { name: 'Équipe Produit' }).click();
      await page.getByRole('heading', { level: 1, name: 'Équipe Produit' }).waitFor();
      await page.getByText('Bienvenue dans l’équipe Produit !').waitFor();
      expect(await mainText(page)).toContain('Votre rôle : Propriétaire');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, 'group.fr');

      // The tree, by keyboard: the branch opens with Enter and says so.
      await page.getByRole('tab', { name: 'Sous-groupes' }).click();
      const toggle = page.getByRole('button', { name: 'Sous-groupes de Design' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.focus();
      await page.keyboard.press('Enter');
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await page.getByRole('link', { name: 'Recherche utilisateur' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, 'group-subgroups.fr');

      // A sub-group made from its parent's page: the form knows the parent.
      await page.getByRole('link', { name: 'Créer un sous-groupe' }).click();
      await page.getByRole('heading', { level: 1, name: 'Créer un groupe' }).waitFor();
      const parent = page.getByLabel('Dans un autre groupe (facultatif)');
      await parent.locator('option', { hasText: 'Équipe Produit' }).waitFor({ state: 'attached' });
      expect(await parent.inputValue()).toBe(top.id);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel('Nom', { exact: true }).fill('Lancements');
      await page.getByRole('radio', { name: 'Privé' }).check();
      await page.getByRole('radio', { name: 'Sur demande' }).check();
      await page.getByRole('button', { name: 'Créer le groupe' }).click();
      await page.getByRole('heading', { level: 1, name: 'Lancements' }).waitFor();
      expect(await mainText(page)).toContain('Sous-groupe dans Équipe Produit');

      await page.goto(`/groups/${top.id}/settings`);
      await page.getByRole('heading', { level: 1, name: 'Gérer Équipe Produit' }).waitFor();
      await page.getByRole('table').waitFor();
      expect(
        await page.getByRole('checkbox', { name: 'Membre peut publier', exact: true }).isChecked(),
      ).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      await toTop(page);
      await screenshots(page, 'group-settings.fr');

      // At 360 px the page does not scroll sideways: the table scrolls in its own region.
      await page.setViewportSize({ width: 360, height: 740 });
      const widths = await page.evaluate<{ page: number; region: number }>(
        `({ page: document.documentElement.scrollWidth,
            region: document.querySelector('[role="region"]').scrollWidth })`,
      );
      expect(widths.page).toBeLessThanOrEqual(360);
      expect(widths.region).toBeGreaterThan(360);
      await context.close();
    },
    LONG,
  );

  it(
    'an invitation is sent from the settings and accepted from the email link; an open group is joined and left',
    async () => {
      const owner = await someone(h, 'MEMBER', 'ACTIVE', 'Basile Board');
      const invitee = await someone(h, 'MEMBER', 'ACTIVE', 'Ines Invitee');
      const { createGroup: board } = await h.ok(
        CREATE,
        { input: { name: 'Board Room', visibility: 'PRIVATE', joinPolicy: 'INVITE' } },
        owner.token,
      );
      await h.ok(
        CREATE,
        { input: { name: 'Coffee Club', visibility: 'PUBLIC', joinPolicy: 'OPEN' } },
        owner.token,
      );

      const o = await person(browser, h);
      await signInAs(o.page, await emailOf(owner));
      await o.page.goto(`/groups/${board.slug}/settings`);
      await o.page.getByRole('heading', { level: 2, name: 'Invite colleagues' }).waitFor();
      await o.page.getByLabel('Find people by name').fill('Ines');
      await o.page.getByRole('button', { name: 'Invite Ines Invitee' }).click();
      await o.page.getByText('Ines Invitee is invited.').waitFor();
      await o.page.getByRole('heading', { name: 'Invited, waiting for an answer' }).waitFor();

      // The invitee follows the email's link (the group's id) and accepts.
      const i = await person(browser, h);
      await signInAs(i.page, await emailOf(invitee));
      await i.page.goto(`/groups/${board.id}`);
      await i.page.getByRole('heading', { level: 1, name: 'Board Room' }).waitFor();
      await i.page.getByText('You are invited to join this group.').waitFor();
      expect(await i.page.getByRole('tab').count()).toBe(0);
      await i.page.getByRole('button', { name: 'Accept the invitation' }).click();
      await i.page.getByText('Your role: Member').waitFor();
      await i.page.getByRole('tab', { name: 'Posts' }).waitFor();
      expect(await mainText(i.page)).toContain('2 members');
      // Their first post lands on top of the group's feed, without a reload.
      await i.page.getByRole('textbox', { name: 'Write a post' }).fill('Hello, board!');
      await i.page.getByRole('button', { name: 'Post', exact: true }).click();
      await i.page.getByRole('article').filter({ hasText: 'Hello, board!' }).waitFor();
      expect(await i.page.getByText('No post in this group yet.').count()).toBe(0);

      // An open group: joined at once, left after confirming.
      await i.page.goto('/groups?tab=all');
      await i.page.getByRole('link', { name: 'Coffee Club' }).click();
      await i.page.getByRole('heading', { level: 1, name: 'Coffee Club' }).waitFor();
      await i.page.getByRole('button', { name: 'Join', exact: true }).click();
      await i.page.getByRole('status').getByText('You joined the group.').waitFor();
      await i.page.getByText('Your role: Member').waitFor();
      await i.page.getByRole('button', { name: 'Leave the group' }).click();
      await i.page.getByRole('dialog', { name: 'Leave Coffee Club?' }).waitFor();
      await i.page.getByRole('dialog').getByRole('button', { name: 'Leave', exact: true }).click();
      await i.page.getByRole('button', { name: 'Join', exact: true }).waitFor();
      expect(await mainText(i.page)).toContain('1 member');
      await o.context.close();
      await i.context.close();
    },
    LONG,
  );
});
