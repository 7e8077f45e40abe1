import type { Browser } from 'playwright-core';
import { allowDomains, makeAdmin, makeMember, type Person } from '../support/builders.js';
import { Harness } from '../support/harness.js';
import { launch, person, PHONE, screenshots, seriousViolations, signInAs } from './browser.js';

let h: Harness;
let browser: Browser;
let admin: Person;

const PUBLISH = `mutation($body: String!, $locale: String, $t: [CharterTranslationInput!]) {
  publishCharter(body: $body, locale: $locale, translations: $t) { version } }`;
const NETWORK = `mutation($input: NetworkSettingsInput!) { updateNetworkSettings(input: $input) { name } }`;
const CHARTER = `{ charter { version viewerAcceptedAt } }`;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  browser = await launch();
  admin = await makeAdmin(h);
  await allowDomains(h, admin);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('the charter in the web app', () => {
  it('stops a member on the charter when a version is published, and takes them back after they accept', async () => {
    const camille = await makeMember(h, { displayName: 'Camille Martin' });
    const { page } = await person(browser, h);
    await signInAs(page, camille.email);
    await page.getByRole('heading', { level: 1 }).waitFor();

    await h.ok(
      NETWORK,
      {
        input: {
          quietHours: {
            start: '20:00',
            end: '07:00',
            days: [1, 2, 3, 4, 5],
            timezone: 'Europe/Paris',
          },
        },
      },
      admin.token,
    );
    await h.ok(
      PUBLISH,
      {
        body: '# Our rules\n\nBe **kind** to each other.',
        locale: 'en',
        t: [{ locale: 'fr', body: '# Nos règles\n\nSoyez **bienveillants**.' }],
      },
      admin.token,
    );

    // The next page read meets CHARTER_REQUIRED: the charter, then back where the person was going.
    await page.goto('/groups');
    await page.waitForURL(/\/charter\?next=%2Fgroups$/);
    // (The charter's own "# Our rules" is a heading too.)
    await page.getByRole('heading', { level: 1, name: 'Our usage charter' }).waitFor();
    await page
      .getByRole('region', { name: 'The charter' })
      .getByText('Be kind to each other.')
      .waitFor();
    await page
      .getByText('Right to disconnect: from 20:00 to 07:00, Ruche sends no email and no push.')
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'charter.en');

    // By keyboard.
    await page.getByRole('button', { name: 'I have read it and I accept it' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/groups$/);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).not.toBe(
      'Our usage charter',
    );
    const { charter } = await h.ok(CHARTER, {}, camille.token);
    expect(charter.viewerAcceptedAt).not.toBeNull();

    // A new version asks again.
    await h.ok(PUBLISH, { body: 'Version two.', locale: 'en' }, admin.token);
    await page.goto('/');
    await page.waitForURL(/\/charter\?next=%2F$/);
    await page.getByText('Version two.').waitFor();
  });

  it('speaks French, at 360 px', async () => {
    const marie = await makeMember(h, { displayName: 'Marie Curie' });
    await h.db.query(`UPDATE users SET locale = 'fr' WHERE id = $1`, [marie.id]);
    await h.ok(
      PUBLISH,
      { body: 'Be kind.', locale: 'en', t: [{ locale: 'fr', body: 'Soyez **bienveillants**.' }] },
      admin.token,
    );
    const { page } = await person(browser, h, { locale: 'fr', viewport: PHONE });
    await signInAs(page, marie.email);
    await page.waitForURL(/\/charter\?next=/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      "Notre charte d'utilisation",
    );
    await page.getByText('Soyez bienveillants.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'charter.fr');
    await page.getByRole('button', { name: "Je l'ai lue et je l'accepte" }).click();
    await page.waitForURL((url) => url.pathname !== '/charter');
  });
});
