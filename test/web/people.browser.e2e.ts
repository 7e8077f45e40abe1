import type { Browser, Page } from 'playwright-core';
import { allowDomains, makeAdmin } from '../support/builders.js';
import { Harness } from '../support/harness.js';
import { someone, type Someone } from '../support/people.js';
import { launch, person, screenshots, seriousViolations, signInAs } from './browser.js';

let h: Harness;
let browser: Browser;
let camille: Someone;

const UPDATE_PROFILE = `mutation($input: ProfileInput!) { updateProfile(input: $input) { id } }`;

/** A colleague with a profile filled in, through the API. */
async function colleague(name: string, input: Record<string, unknown>): Promise<Someone> {
  const p = await someone(h, 'MEMBER', 'ACTIVE', name);
  await h.ok(UPDATE_PROFILE, { input }, p.token);
  return p;
}

async function emailOf(p: Someone): Promise<string> {
  const { rows } = await h.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
    p.id,
  ]);
  return rows[0].email;
}

/** The text of the error shown for a form field (its aria-describedby). */
async function errorOf(page: Page, label: string | RegExp): Promise<string | null> {
  const field = page.getByLabel(label, { exact: typeof label === 'string' });
  const id = await field.getAttribute('aria-describedby');
  return id ? page.locator(`[id="${id}"]`).textContent() : null;
}

beforeAll(async () => {
  h = await Harness.start();
  browser = await launch();
  await allowDomains(h, await makeAdmin(h));
  camille = await colleague('Camille Martin', {
    jobTitle: 'Management controller',
    department: 'Finance',
    location: 'Lyon',
    bio: 'Budgets, forecasts and good coffee.',
    skills: ['budgeting', 'Excel'],
  });
  await h.ok(
    `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`,
    { input: { body: 'The Q3 forecast is out.', audience: { kind: 'NETWORK' } } },
    camille.token,
  );
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('people in the web app', () => {
  it('shows a colleague’s profile and wall, and following them raises the count', async () => {
    const lea = await colleague('Léa Dubois', { department: 'Sales' });
    const { context, page } = await person(browser, h);
    await signInAs(page, await emailOf(lea));
    await page.goto(`/people/${camille.handle}`);
    await page.getByRole('heading', { level: 1, name: 'Camille Martin' }).waitFor();
    await page.getByText('Management controller · Finance').waitFor();
    await page.getByText('Lyon').waitFor();
    await page.getByText('Budgets, forecasts and good coffee.').waitFor();
    await page.getByRole('listitem').filter({ hasText: 'budgeting' }).waitFor();
    await page.getByText('The Q3 forecast is out.').waitFor();
    const counts = page.getByRole('status').filter({ hasText: 'following' });
    expect(await counts.textContent()).toBe('0 followers · 0 following');

    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await page.getByRole('button', { name: 'Unfollow' }).waitFor();
    await counts.filter({ hasText: '1 follower ·' }).waitFor();
    const { user } = await h.ok(
      `query($h: String!) { user(handle: $h) { followersCount } }`,
      { h: camille.handle },
      lea.token,
    );
    expect(user.followersCount).toBe(1);

    // Writing on her wall puts the post at the top of it, without reloading.
    await page.getByLabel('Write a post').fill('Congratulations on the forecast!');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.getByText('Congratulations on the forecast!').waitFor();

    await page.getByRole('button', { name: 'Unfollow' }).click();
    await counts.filter({ hasText: '0 followers ·' }).waitFor();

    // A long wall comes ten posts at a time.
    const paul = await colleague('Paul Prolific', {});
    for (let i = 1; i <= 12; i++)
      await h.ok(
        `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`,
        { input: { body: `Note number ${i}`, audience: { kind: 'NETWORK' } } },
        paul.token,
      );
    await page.goto(`/people/${paul.handle}`);
    await page.getByText('Note number 12', { exact: true }).waitFor();
    expect(await page.getByRole('article').count()).toBe(10);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('Note number 1', { exact: true }).waitFor();
    expect(await page.getByRole('article').count()).toBe(12);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    // An unknown handle is the not-found page, not an empty profile.
    await page.goto('/people/nobody-here');
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    await context.close();
  }, 60_000);

  it('edits my profile: the API’s error next to the handle, then a good save', async () => {
    const hugo = await colleague('Hugo Bernard', {});
    const { context, page } = await person(browser, h);
    await signInAs(page, await emailOf(hugo));
    await page.goto('/settings/profile');
    await page.getByRole('heading', { level: 1, name: 'Edit my profile' }).waitFor();
    await page.getByLabel('Handle', { exact: true }).fill('Not A Handle!');
    await page.getByRole('button', { name: 'Save my profile' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /handle must be 3 to 30/ })
      .waitFor();
    expect(await errorOf(page, 'Handle')).toMatch(/handle must be 3 to 30 characters/);
    expect(await page.getByLabel('Handle', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );

    await page.getByLabel('Handle', { exact: true }).fill('hugo.bernard');
    await page.getByLabel('Name', { exact: true }).fill('Hugo Bernard-Laurent');
    await page.getByLabel('Job title').fill('Buyer');
    await page.getByLabel('Department').fill('Purchasing');
    await page.getByLabel('Skills').fill('negotiation, Spanish');
    await page.getByLabel('Find your manager').fill('Camille');
    await page.getByRole('button', { name: 'Choose Camille Martin as my manager' }).click();
    await page.getByText('Your manager: Camille Martin').waitFor();
    await page.getByRole('button', { name: 'Save my profile' }).click();
    await page.getByText('Saved. Your profile now shows “Hugo Bernard-Laurent”.').waitFor();
    // The account menu follows at once.
    await page.getByRole('button', { name: 'Your account' }).click();
    await page.getByText('Hugo Bernard-Laurent', { exact: true }).first().waitFor();
    await page.keyboard.press('Escape');
    await page.goto('/people/hugo.bernard');
    await page.getByRole('heading', { level: 1, name: 'Hugo Bernard-Laurent' }).waitFor();
    await page.getByText('Buyer · Purchasing').waitFor();
    await page.getByText('Manager: Camille Martin').waitFor();

    // Saving French as the language switches the app to French.
    await page.goto('/settings/profile');
    await page.getByLabel('Language', { exact: true }).selectOption('fr');
    await page.getByRole('button', { name: 'Save my profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'Modifier mon profil' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
    await context.close();
  }, 60_000);

  it('finds a colleague by name in the directory, and by department', async () => {
    const nina = await colleague('Nina Roux', {});
    const { context, page } = await person(browser, h);
    await signInAs(page, await emailOf(nina));
    await page.getByRole('link', { name: 'People' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
    await page.getByLabel('Search by name, handle or skill').fill('cami');
    await page
      .getByRole('status')
      .filter({ hasText: /^1 person$/ })
      .waitFor();
    const card = page.getByRole('link', { name: /Camille Martin/ });
    expect(await card.textContent()).toContain('Management controller · Finance');
    await page.getByLabel('Search by name, handle or skill').fill('zzzz');
    await page.getByText('No one found.').waitFor();
    await page.getByLabel('Search by name, handle or skill').fill('');
    await page.getByLabel('Department').fill('finance');
    await page
      .getByRole('status')
      .filter({ hasText: /^1 person$/ })
      .waitFor();
    await card.click();
    await page.waitForURL(`**/people/${camille.handle}`);
    await context.close();
  }, 60_000);

  it('draws the profile, the editor and the directory in English and French', async () => {
    for (const locale of ['en', 'fr'] as const) {
      const viewer = await colleague(locale === 'fr' ? 'Élodie Faure' : 'Oscar Lane', {
        locale,
        jobTitle: locale === 'fr' ? 'Juriste' : 'Lawyer',
        department: 'Legal',
        location: 'Paris',
        skills: ['contracts'],
      });
      const { context, page } = await person(browser, h, { locale });
      await signInAs(page, await emailOf(viewer));

      await page.goto(`/people/${camille.handle}`);
      await page.getByText('The Q3 forecast is out.').waitFor();
      await page
        .getByRole('button', { name: locale === 'fr' ? 'Suivre' : 'Follow', exact: true })
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, `profile.${locale}`);

      await page.goto('/settings/profile');
      await page
        .getByRole('heading', {
          level: 1,
          name: locale === 'fr' ? 'Modifier mon profil' : 'Edit my profile',
        })
        .waitFor();
      await page.getByLabel(locale === 'fr' ? 'Poste' : 'Job title').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, `profile-editor.${locale}`);

      await page.goto('/people');
      await page.getByRole('link', { name: /Camille Martin/ }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, `directory.${locale}`);
      await context.close();
    }
  }, 120_000);
});
