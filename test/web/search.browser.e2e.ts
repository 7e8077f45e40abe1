import type { Browser, Page } from 'playwright-core';
import { Harness } from '../support/harness.js';
import { someone, type Someone } from '../support/people.js';
import { launch, person, PHONE, screenshots, seriousViolations, signInAs } from './browser.js';

let h: Harness;
let browser: Browser;
let elodie: Someone;
let marc: Someone;
let lea: Someone;
let postId: string;
let groupSlug: string;

const CREATE_GROUP = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id slug } }`;
const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const PROFILE = `mutation($input: ProfileInput!) { updateProfile(input: $input) { id } }`;
const SEARCH = `query($q: String!) { search(query: $q, first: 50) { nodes { __typename ... on Group { name } } } }`;

const emailOf = async (who: Someone) =>
  ((await h.ok('{ viewer { email } }', {}, who.token)).viewer as { email: string }).email;

beforeAll(async () => {
  h = await Harness.start();
  browser = await launch();
  [elodie, marc, lea] = await Promise.all([
    someone(h, 'MEMBER', 'ACTIVE', 'Élodie Lefèvre'),
    someone(h, 'MEMBER', 'ACTIVE', 'Marc Durand'),
    someone(h, 'MEMBER', 'ACTIVE', 'Léa Moreau'),
  ]);
  await h.ok(PROFILE, { input: { jobTitle: 'Controller', department: 'Finance' } }, elodie.token);
  await h.ok(PROFILE, { input: { locale: 'fr' } }, lea.token);
  await h.ok(PROFILE, { input: { locale: 'en' } }, marc.token);
  const group = (name: string, visibility: string, description: string) =>
    h.ok(
      CREATE_GROUP,
      { input: { name, description, visibility, joinPolicy: 'OPEN' } },
      elodie.token,
    );
  groupSlug = (
    await group('Budget committee', 'PUBLIC', 'Where the yearly budget is planned and argued')
  ).createGroup.slug as string;
  await group('Budget cuts task force', 'SECRET', 'The budget nobody may know about');
  postId = (
    await h.ok(
      CREATE_POST,
      {
        input: {
          body: 'The **2027 budget** is ready: please read it before Friday. Le budget est prêt !',
          audience: { kind: 'NETWORK' },
        },
      },
      elodie.token,
    )
  ).createPost.id as string;
  for (let i = 1; i <= 23; i++)
    await h.ok(
      CREATE_POST,
      { input: { body: `Roadmap note ${i} for the quarter`, audience: { kind: 'NETWORK' } } },
      elodie.token,
    );
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** Types in the search box and sends it, as a person does. */
async function searchFor(page: Page, label: RegExp, submit: RegExp, text: string) {
  const box = page.getByRole('search').getByRole('searchbox', { name: label });
  await box.fill(text);
  await box.press('Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === text);
  await page.getByRole('search').getByRole('button', { name: submit }).waitFor();
}

const results = (page: Page) => page.getByRole('list', { name: /^(Results|Résultats)$/ });
const status = (page: Page) => page.getByRole('status').filter({ hasText: /«|“|Nothing|Rien/ });

describe('the search page', () => {
  it('finds a colleague, a group and a post in English, marks the words, never a secret group', async () => {
    // The secret group exists and its owner finds it: the member's search leaves it out.
    const own = (await h.ok(SEARCH, { q: 'budget' }, elodie.token)).search.nodes;
    expect(own.map((n: { name?: string }) => n.name)).toContain('Budget cuts task force');

    const { context, page } = await person(browser, h, { locale: 'en' });
    await signInAs(page, await emailOf(marc));
    await page.getByRole('navigation').first().getByRole('link', { name: 'Search' }).click();
    await page.waitForURL('**/search');
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    await page.getByText('Find colleagues by name').waitFor();

    await searchFor(page, /^Search people, groups and posts$/, /^Search$/, 'budget');
    await results(page).waitFor();
    expect(await status(page).textContent()).toBe('2 results for “budget”');
    const items = results(page).getByRole('listitem');
    expect(await items.count()).toBe(2);
    const text = (await results(page).textContent()) ?? '';
    expect(text).toContain('Budget committee');
    expect(text).toContain('Public group · 1 member');
    expect(text).toContain('The 2027 budget is ready');
    expect(text).not.toContain('**');
    expect(text).not.toContain('task force');
    expect(await results(page).locator('mark').allTextContents()).toEqual(
      expect.arrayContaining(['Budget', 'budget', 'budget']),
    );
    expect(
      await results(page)
        .getByRole('link', { name: /Budget committee/ })
        .getAttribute('href'),
    ).toBe(`/groups/${groupSlug}`);

    // The kind chips filter, and the URL keeps the query and the kind.
    await page.getByRole('button', { name: 'Groups', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'groups');
    await status(page).filter({ hasText: '1 result for' }).waitFor();
    expect(
      await page.getByRole('button', { name: 'Groups', exact: true }).getAttribute('aria-pressed'),
    ).toBe('true');
    await page.getByRole('button', { name: 'People', exact: true }).click();
    await page.getByText('Nothing matches “budget”.').waitFor();
    await page.getByRole('button', { name: 'Search all kinds' }).click();
    await status(page).filter({ hasText: '2 results' }).waitFor();

    // A colleague, accent-blind, as typed.
    await searchFor(page, /^Search people, groups and posts$/, /^Search$/, 'lefevre');
    await status(page).filter({ hasText: '1 result for “lefevre”' }).waitFor();
    const colleague = results(page).getByRole('link', { name: /Élodie Lefèvre/ });
    expect(await colleague.locator('mark').allTextContents()).toEqual(['Lefèvre']);
    expect(await colleague.textContent()).toContain('Controller · Finance');

    // Back to the words, with the page drawn for the screenshots and axe.
    await page.goBack();
    await status(page).filter({ hasText: '2 results for “budget”' }).waitFor();
    expect(
      await page.getByRole('searchbox', { name: 'Search people, groups and posts' }).inputValue(),
    ).toBe('budget');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'search.en');
    await page.setViewportSize(PHONE);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );

    // Following a result goes to it.
    await results(page)
      .getByRole('link', { name: /budget is ready/ })
      .click();
    await page.waitForURL(`**/posts/${postId}`);
    await context.close();
  });

  it('pages with "Load more", and answers in French', async () => {
    const { context, page } = await person(browser, h, { locale: 'fr' });
    await signInAs(page, await emailOf(lea));
    await page.goto('/search?q=roadmap&kind=posts');
    await page.getByRole('heading', { level: 1, name: 'Recherche' }).waitFor();
    await status(page).filter({ hasText: 'Les 20 premiers résultats pour « roadmap »' }).waitFor();
    expect(await results(page).getByRole('listitem').count()).toBe(20);
    await page.getByRole('button', { name: 'Afficher plus' }).click();
    await status(page).filter({ hasText: '23 résultats pour « roadmap »' }).waitFor();
    expect(await results(page).getByRole('listitem').count()).toBe(23);
    expect(await page.getByRole('button', { name: 'Afficher plus' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Tout', exact: true }).click();
    await page.waitForURL((url) => !url.searchParams.has('kind'));
    await searchFor(page, /^Rechercher des personnes/, /^Rechercher$/, 'budget');
    await status(page).filter({ hasText: '2 résultats pour « budget »' }).waitFor();
    const text = (await results(page).textContent()) ?? '';
    expect(text).toContain('Groupe public · 1 membre');
    expect(text).toContain('Le budget est prêt');
    expect(text).not.toContain('task force');
    expect(await results(page).locator('mark').count()).toBeGreaterThanOrEqual(3);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'search.fr');

    await searchFor(page, /^Rechercher des personnes/, /^Rechercher$/, 'élod');
    await status(page).filter({ hasText: '1 résultat pour « élod »' }).waitFor();
    const colleague = results(page).getByRole('link', { name: /Élodie Lefèvre/ });
    expect(await colleague.locator('mark').allTextContents()).toEqual(['Élodie']);
    await colleague.click();
    await page.waitForURL(`**/people/${elodie.handle}`);

    // Only punctuation: the API's refusal is said next to the box, in French.
    await page.goto('/search');
    await searchFor(page, /^Rechercher des personnes/, /^Rechercher$/, '&& !');
    await page.getByText('Tapez un mot ou quelques-uns (12 au plus) à rechercher.').waitFor();
    expect(
      await page
        .getByRole('searchbox', { name: /^Rechercher des personnes/ })
        .getAttribute('aria-invalid'),
    ).toBe('true');

    await page.goto('/search?q=zzzxq');
    await page.getByText('Rien ne correspond à « zzzxq ».').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
