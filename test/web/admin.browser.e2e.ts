import type { Browser } from 'playwright-core';
import { allowDomains, makeAdmin, PASSWORD, type Person } from '../support/builders.js';
import { Harness } from '../support/harness.js';
import { someone, type Someone } from '../support/people.js';
import { launch, person, screenshots, seriousViolations, signInAs } from './browser.js';

let h: Harness;
let browser: Browser;
let admin: Person;

async function emailOf(p: Someone): Promise<string> {
  const { rows } = await h.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
    p.id,
  ]);
  return rows[0].email;
}

beforeAll(async () => {
  h = await Harness.start();
  browser = await launch();
  admin = await makeAdmin(h, { name: 'Ada Admin' });
  await allowDomains(h, admin, ['acme.test', 'partner.test']);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('network administration in the web app', () => {
  it('restricts sign-up to one domain, and suspends a member whose open tab is then signed out', async () => {
    const marc = await someone(h, 'MEMBER', 'ACTIVE', 'Marc Lemoine');
    const marcEmail = await emailOf(marc);

    // The member has a tab open, and /admin does not exist for them.
    const member = await person(browser, h);
    await signInAs(member.page, marcEmail);
    await member.page.goto('/admin');
    await member.page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    await member.page.goto('/');

    // The admin keeps acme.test alone, in DOMAIN mode.
    const { context, page } = await person(browser, h);
    await signInAs(page, admin.email);
    await page.getByRole('button', { name: 'Your account' }).click();
    await page.getByRole('menuitem', { name: 'Network administration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Network settings' }).waitFor();
    await page.getByRole('listitem').filter({ hasText: '@partner.test' }).waitFor();
    await page.getByRole('button', { name: 'Remove partner.test' }).click();
    await page.getByRole('status').filter({ hasText: 'partner.test removed.' }).waitFor();
    await page.getByRole('radio', { name: 'Company email domains' }).check();
    await page.getByRole('button', { name: 'Save the settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const { network } = await h.ok(`{ network { registrationMode allowedEmailDomains } }`);
    expect(network).toEqual({ registrationMode: 'DOMAIN', allowedEmailDomains: ['acme.test'] });

    // Someone from another domain is refused, with the rule explained.
    const outsider = await person(browser, h);
    await outsider.page.goto('/sign-up');
    await outsider.page.getByText(/is open to addresses at @acme\.test\./).waitFor();
    await outsider.page.getByLabel('Your name').fill('Paul Partner');
    await outsider.page.getByLabel('Work email').fill('paul@partner.test');
    await outsider.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await outsider.page.getByRole('button', { name: 'Create my account' }).click();
    await outsider.page.getByText('Sign-up is open to company addresses only').waitFor();
    expect(outsider.page.url()).toContain('/sign-up');
    await outsider.context.close();

    // The admin suspends the member.
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    await page.getByLabel('Search active members by name').fill('Marc');
    await page
      .getByRole('status')
      .filter({ hasText: /^1 active member$/ })
      .waitFor();
    const row = page.getByRole('listitem').filter({ hasText: marcEmail });
    await row.getByRole('button', { name: 'Suspend' }).click();
    const dialog = page.getByRole('dialog', { name: 'Suspend Marc Lemoine?' });
    await dialog.getByText(/signed out everywhere at once/).waitFor();
    await dialog.getByRole('button', { name: 'Suspend Marc Lemoine' }).click();
    await row.getByText('Suspended').waitFor();
    await row.getByRole('button', { name: 'Reinstate' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Marc Lemoine is suspended' }).waitFor();
    // A new search no longer lists him (active members only), but he stays in sight.
    await page.getByLabel('Search active members by name').fill('Marc Lem');
    await page.getByText('No active member found.').waitFor();
    await page
      .getByRole('region', { name: 'Changed just now' })
      .getByRole('listitem')
      .filter({ hasText: 'Suspended' })
      .waitFor();

    // The member's next request signs the open tab out...
    await member.page.getByRole('link', { name: 'People' }).first().click();
    await member.page.waitForURL(/\/sign-in\?.*reason=expired/);
    await member.page.getByText(/You were signed out/).waitFor();
    // ...and signing in again says why.
    await member.page.getByLabel('Work email').fill(marcEmail);
    await member.page.getByLabel('Password').fill(PASSWORD);
    await member.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await member.page.getByText('This account is suspended; ask your administrator').waitFor();
    await member.context.close();

    // A suspended account is found by its handle and reinstated.
    await page.getByLabel('Search active members by name').fill('');
    await page.getByLabel('Handle', { exact: true }).fill(marc.handle);
    await page.getByRole('button', { name: 'Find' }).click();
    const found = page.getByRole('region', { name: 'Find any account by handle' });
    await found.getByRole('button', { name: 'Reinstate' }).click();
    await page.getByRole('status').filter({ hasText: 'Marc Lemoine may sign in again.' }).waitFor();
    const { user } = await h.ok(
      `query($id: ID!) { user(id: $id) { status } }`,
      { id: marc.id },
      admin.token,
    );
    expect(user.status).toBe('ACTIVE');
    await context.close();
  }, 90_000);

  it('changes a role, sends invitations with the count sent, and sets the network’s quiet hours', async () => {
    const nora = await someone(h, 'MEMBER', 'ACTIVE', 'Nora Petit');
    const { context, page } = await person(browser, h);
    await signInAs(page, admin.email);
    await page.goto('/admin/members');
    await page.getByLabel('Search active members by name').fill('Nora');
    await page
      .getByRole('status')
      .filter({ hasText: /^1 active member$/ })
      .waitFor();
    await page.getByLabel('Role of Nora Petit').selectOption('ADMIN');
    await page
      .getByRole('status')
      .filter({ hasText: 'Nora Petit is now: Administrator.' })
      .waitFor();
    const { user } = await h.ok(
      `query($id: ID!) { user(id: $id) { role } }`,
      { id: nora.id },
      admin.token,
    );
    expect(user.role).toBe('ADMIN');

    await page.getByRole('link', { name: 'Invitations' }).click();
    await page
      .getByLabel('Email addresses')
      .fill(`new.one@acme.test, new.two@elsewhere.test\n${await emailOf(nora)}`);
    await page.getByRole('button', { name: 'Send 3 invitations' }).click();
    await page.getByText('2 invitations sent.').waitFor();
    await page.getByText('1 address already has an account.').waitFor();
    const { rows } = await h.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM invitations WHERE email LIKE $1',
      ['new.%'],
    );
    expect(rows[0].n).toBe(2);

    // The network's quiet hours, every night of the week.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Keep quiet hours for the whole network').check();
    for (const day of ['Saturday', 'Sunday']) await page.getByLabel(day).check();
    await page.getByLabel('From').fill('22:00');
    await page.getByLabel('Until').fill('06:30');
    await page.getByLabel('In the time zone').selectOption('Europe/Paris');
    await page.getByRole('button', { name: 'Save the settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const { network } = await h.ok(`{ network { quietHours { days start end timezone } } }`);
    expect(network.quietHours).toEqual({
      days: [1, 2, 3, 4, 5, 6, 7],
      start: '22:00',
      end: '06:30',
      timezone: 'Europe/Paris',
    });
    await context.close();
  }, 60_000);

  it('draws each admin page in English and French', async () => {
    const fr = await someone(h, 'ADMIN', 'ACTIVE', 'Zoé Administratrice');
    await h.ok(
      `mutation($input: ProfileInput!) { updateProfile(input: $input) { id } }`,
      { input: { locale: 'fr' } },
      fr.token,
    );
    for (const locale of ['en', 'fr'] as const) {
      const { context, page } = await person(browser, h, { locale });
      await signInAs(page, locale === 'fr' ? await emailOf(fr) : admin.email);
      const pages = [
        ['/admin', 'admin-settings', 'Network settings', 'Réglages du réseau'],
        ['/admin/members', 'admin-members', 'Members', 'Membres'],
        ['/admin/invitations', 'admin-invitations', 'Invitations', 'Invitations'],
      ] as const;
      for (const [path, name, en, french] of pages) {
        await page.goto(path);
        await page
          .getByRole('heading', { level: 1, name: locale === 'fr' ? french : en })
          .waitFor();
        if (name === 'admin-settings')
          await page
            .getByRole('radio', { name: /Company email domains|Domaines d’e-mail/ })
            .waitFor();
        if (name === 'admin-members')
          await page
            .getByRole('status')
            .filter({ hasText: /active|actif/ })
            .waitFor();
        if (name === 'admin-settings') {
          // Quiet hours open their editor.
          await page.getByLabel(/Keep quiet hours|Appliquer des heures calmes/).check();
        }
        await page.evaluate('window.scrollTo(0, 0)');
        expect(await seriousViolations(page)).toEqual([]);
        await screenshots(page, `${name}.${locale}`);
      }
      await context.close();
    }
  }, 120_000);
});
