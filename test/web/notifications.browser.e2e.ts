import type { Browser } from 'playwright-core';
import { allowDomains, makeAdmin, makeMember, type Person } from '../support/builders.js';
import { Harness } from '../support/harness.js';
import { someone, type Someone } from '../support/people.js';
import { TestPushService, throwawayCert } from '../support/push-service.mjs';
import { until } from '../support/workers.js';
import { launch, person, screenshots, seriousViolations, signInAs } from './browser.js';

let h: Harness;
let browser: Browser;
let push: TestPushService;
let cert: ReturnType<typeof throwawayCert>;
let paul: Someone;
let admin: Person;

const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const REGISTER = `mutation($input: PushSubscriptionInput!) { registerPushSubscription(input: $input) }`;
const NETWORK = `mutation($input: NetworkSettingsInput!) { updateNetworkSettings(input: $input) { name } }`;
const PROFILE = `mutation($input: ProfileInput!) { updateProfile(input: $input) { id } }`;

beforeAll(async () => {
  cert = throwawayCert();
  push = await new TestPushService().start(cert);
  // The process under test trusts this one CA for push endpoints.
  h = await Harness.start({ worker: true, env: { PUSH_CA_FILE: cert.caFile } });
  browser = await launch();
  admin = await makeAdmin(h);
  await allowDomains(h, admin);
  paul = await someone(h, 'MEMBER', 'ACTIVE', 'Paul Durand');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
  await push?.stop();
  cert?.dispose();
});

const mention = async (handle: string) =>
  (
    await h.ok<{ createPost: { id: string } }>(
      CREATE_POST,
      { input: { body: `Point sur le budget avec @${handle}`, audience: { kind: 'NETWORK' } } },
      paul.token,
    )
  ).createPost.id;

/** HH:MM in Paris (the people's zone in these tests), and that day. */
const paris = (ms: number) => ({
  time: new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms),
  day: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', dateStyle: 'short' }).format(
    ms,
  ),
});

describe('notifications in the web app', () => {
  it('raises the bell live on a mention, lists it, and marks all read', async () => {
    const camille = await makeMember(h, { displayName: 'Camille Martin' });
    const { context, page } = await person(browser, h);
    await signInAs(page, camille.email);
    await page.getByRole('link', { name: 'Notifications, 0 unread' }).waitFor();

    await mention(camille.handle);
    // Without reloading: the subscription raises the count, and it is announced.
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'New notification: Paul Durand mentioned you in a post' })
      .waitFor();

    await page.getByRole('link', { name: 'Notifications, 1 unread' }).click();
    await page.waitForURL(/\/notifications$/);
    const item = page.getByRole('link', { name: /Paul Durand mentioned you in a post/ });
    await item.waitFor();
    expect(await item.textContent()).toContain('Unread');
    expect(await page.getByText('1 unread', { exact: true }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'notifications.en');

    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.getByRole('link', { name: 'Notifications, 0 unread' }).waitFor();
    await page.getByText('0 unread', { exact: true }).waitFor();
    expect(await item.textContent()).not.toContain('Unread');

    // One more, opened from the list: that one is read, and leads to the post.
    const postId = await mention(camille.handle);
    await page.getByRole('link', { name: 'Notifications, 1 unread' }).waitFor();
    await page.getByRole('link', { name: /Paul Durand mentioned you in a post.*Unread/ }).click();
    await page.waitForURL(new RegExp(`/posts/${postId}$`));
    await page.getByRole('link', { name: 'Notifications, 0 unread' }).waitFor();

    // The network's quiet hours (here from three to four hours on: not now) are shown too.
    const later = {
      start: paris(Date.now() + 3 * 3600_000).time,
      end: paris(Date.now() + 4 * 3600_000).time,
    };
    await h.ok(
      NETWORK,
      {
        input: { quietHours: { days: [1, 2, 3, 4, 5, 6, 7], ...later, timezone: 'Europe/Paris' } },
      },
      admin.token,
    );
    await page.goto('/settings/notifications');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Notification settings',
    );
    await page
      .getByText(
        new RegExp(
          `^The network's quiet hours, for everyone: every day, from ${later.start} to ${later.end}, in your time zone\\.$`,
        ),
      )
      .waitFor();
    expect(await page.getByRole('checkbox', { name: 'Mentions: Email' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Reactions: Push' }).isChecked()).toBe(false);
    await page.getByText('You are not in quiet hours now.').waitFor();
    await page.getByRole('button', { name: 'Turn on push notifications on this device' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'notification-settings.en');

    // Turning push on registers the service worker (/sw.js) and asks the browser's push service:
    // headless chromium has none, so the person is told it failed and nothing is registered.
    await h.ok(NETWORK, { input: { clearQuietHours: true } }, admin.token);
    await context.grantPermissions(['notifications']);
    await page.getByRole('button', { name: 'Turn on push notifications on this device' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Push notifications could not be turned on on this device.' })
      .waitFor({ timeout: 30_000 });
    expect(
      await page.evaluate(
        "navigator.serviceWorker.getRegistration('/').then((r) => r?.active?.scriptURL ?? '')",
      ),
    ).toMatch(/\/sw\.js$/);
    expect(
      (await h.db.query('SELECT 1 FROM push_subscriptions WHERE user_id = $1', [camille.id])).rows,
    ).toEqual([]);
    await context.close();
  }, 90_000);

  it('in French, with quiet hours now: the mention is in the app at once, not pushed, and the page says when', async () => {
    const zoe = await makeMember(h, { displayName: 'Zoé Lefèvre' });
    await h.ok(PROFILE, { input: { locale: 'fr', timezone: 'Europe/Paris' } }, zoe.token);
    const { context, page } = await person(browser, h, { locale: 'fr' });
    await signInAs(page, zoe.email);
    await page.getByRole('link', { name: 'Notifications, 0 non lue' }).waitFor();

    // Quiet hours around now, set as a person does.
    const now = Date.now();
    const from = paris(now - 3600_000);
    const to = paris(now + 2 * 3600_000);
    await page.goto('/settings/notifications');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Réglages des notifications',
    );
    await page.getByText('Vous n’êtes pas en heures calmes en ce moment.').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Mentions : Push' }).isChecked()).toBe(true);
    await page
      .getByLabel('Retenir mes e-mails et notifications push pendant mes heures calmes')
      .check();
    for (const day of ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'])
      await page.getByRole('checkbox', { name: day, exact: true }).check();
    await page.getByLabel('De', { exact: true }).fill(from.time);
    await page.getByLabel('Jusqu’à', { exact: true }).fill(to.time);
    await page.getByLabel('Fuseau horaire').selectOption('Europe/Paris');
    await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
    await page.getByText('Réglages enregistrés.').waitFor();
    const when = to.day === paris(now).day ? `à ${to.time}` : `demain à ${to.time}`;
    const said = `Heures calmes en cours : vos e-mails et notifications push vous parviendront ${when}.`;
    await page.getByText(said).waitFor();

    // This device's push subscription: the tests' Web Push service.
    const device = push.browser('/zoe-phone');
    await h.ok(REGISTER, { input: device.input }, zoe.token);

    await page.goto('/notifications');
    await page.getByText('Aucune notification pour l’instant.', { exact: false }).waitFor();
    const postId = await mention(zoe.handle);
    await page.getByRole('link', { name: 'Notifications, 1 non lue' }).waitFor();
    await page
      .getByRole('link', { name: /Paul Durand vous a mentionné dans une publication/ })
      .waitFor();
    expect(await page.getByText('1 non lue', { exact: true }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'notifications.fr');

    // The push is planned, held until the end of the quiet hours, and not sent.
    let due: Date | undefined;
    await until('the push delivery', async () => {
      const { rows } = await h.db.query<{ due_at: Date }>(
        `SELECT d.due_at FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
         WHERE n.post_id = $1 AND d.user_id = $2 AND d.channel = 'PUSH'`,
        [postId, zoe.id],
      );
      due = rows[0]?.due_at;
      return !!due;
    });
    expect(paris(due!.getTime()).time).toBe(to.time);
    await new Promise((r) => setTimeout(r, 4000));
    expect(push.hits.filter((p) => p === '/zoe-phone')).toEqual([]);

    await page.goto('/settings/notifications');
    await page.getByText(said).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'notification-settings.fr');
    await context.close();
  }, 90_000);
});
