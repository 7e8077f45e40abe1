import type { Browser } from 'playwright-core';
import { Harness } from '../support/harness.js';
import { someone, type Someone } from '../support/people.js';
import { launch, person, screenshots, signInAs } from './browser.js';

// A colleague in quiet hours: their profile and the composer that mentions them say when they
// will be told (User.quietHoursUntil), before anyone writes to them.
let h: Harness;
let browser: Browser;
let camille: Someone, paul: Someone;

beforeAll(async () => {
  h = await Harness.start();
  browser = await launch();
  [camille, paul] = await Promise.all([
    someone(h, 'MEMBER', 'ACTIVE', 'Camille Calme'),
    someone(h, 'MEMBER', 'ACTIVE', 'Paul Parleur'),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

const MINUTE = 60_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const emailOf = async (p: Someone) =>
  (await h.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [p.id])).rows[0]
    .email;

it('shows on the profile and in the composer that a colleague is in quiet hours, and until when', async () => {
  const { context, page } = await person(browser, h);
  await signInAs(page, await emailOf(paul));
  // Not in quiet hours: nothing said.
  await page.goto(`/people/${camille.handle}`);
  await page.getByRole('heading', { level: 1, name: 'Camille Calme' }).waitFor();
  expect(await page.getByText('is in quiet hours').count()).toBe(0);

  const now = Date.now();
  await h.ok(
    `mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { emailDigest } }`,
    {
      input: {
        quietHours: {
          days: [1, 2, 3, 4, 5, 6, 7],
          start: hhmm(now - 60 * MINUTE),
          end: hhmm(now + 120 * MINUTE),
          timezone: 'UTC',
        },
      },
    },
    camille.token,
  );
  await page.reload();
  const notice = page.getByText(/Camille Calme is in quiet hours; they will be told/);
  await notice.waitFor();
  await screenshots(page, 'profile-quiet.en');

  await page.goto('/');
  await page.getByRole('textbox', { name: 'Write a post' }).fill(`Hello @${camille.handle} `);
  await page.getByText(/Camille Calme is in quiet hours; they will be told/).waitFor();
  await context.close();
});
