import { Harness, codeOf } from './support/harness.js';
import { someone, type Someone } from './support/people.js';
import { until } from './support/workers.js';

// User.quietHoursUntil (what a colleague is told about someone's quiet hours) and
// Query.pushPublicKey (what a browser subscribes to Web Push with).
let h: Harness;
let admin: Someone, camille: Someone, paul: Someone;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  [admin, camille, paul] = await Promise.all([
    someone(h, 'ADMIN', 'ACTIVE', 'Ada Admin'),
    someone(h, 'MEMBER', 'ACTIVE', 'Camille Calme'),
    someone(h, 'MEMBER', 'ACTIVE', 'Paul Parleur'),
  ]);
});
afterAll(() => h.stop());

const UNTIL = `query($id: ID!) { user(id: $id) { id quietHoursUntil } }`;
const SET_PREFS = `mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { emailDigest } }`;
const SET_NETWORK = `mutation($input: NetworkSettingsInput!) { updateNetworkSettings(input: $input) { name } }`;
const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

const MINUTE = 60_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
/** A window around now, in UTC: from an hour ago to two hours on; it ends at `end` (to the minute). */
function windowAroundNow() {
  const now = Date.now();
  const end = Math.floor((now + 120 * MINUTE) / MINUTE) * MINUTE;
  return {
    window: { days: ALL_DAYS, start: hhmm(now - 60 * MINUTE), end: hhmm(end), timezone: 'UTC' },
    end: new Date(end).toISOString(),
  };
}
async function untilOf(who: Someone, as: Someone): Promise<string | null> {
  const { user } = await h.ok<{ user: { quietHoursUntil: string | null } }>(
    UNTIL,
    { id: who.id },
    as.token,
  );
  return user.quietHoursUntil;
}

describe('User.quietHoursUntil', () => {
  it('is null for someone outside quiet hours', async () => {
    expect(await untilOf(camille, paul)).toBeNull();
  });

  it('is the end of their own window while in it, the moment their deliveries were deferred to', async () => {
    const { window, end } = windowAroundNow();
    await h.ok(SET_PREFS, { input: { quietHours: window } }, camille.token);
    try {
      expect(new Date((await untilOf(camille, paul))!).toISOString()).toBe(end);
      // The delivery pipeline defers a mention's email to that same moment.
      const { createPost } = await h.ok<{ createPost: { id: string } }>(
        CREATE_POST,
        { input: { body: `Hello @${camille.handle}`, audience: { kind: 'NETWORK' } } },
        paul.token,
      );
      let due: Date | undefined;
      await until('the email delivery', async () => {
        const { rows } = await h.db.query<{ due_at: Date }>(
          `SELECT d.due_at FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
           WHERE n.post_id = $1 AND d.user_id = $2 AND d.channel = 'EMAIL'`,
          [createPost.id, camille.id],
        );
        due = rows[0]?.due_at;
        return !!due;
      });
      expect(due!.toISOString()).toBe(end);
    } finally {
      await h.ok(SET_PREFS, { input: { clearQuietHours: true } }, camille.token);
    }
    expect(await untilOf(camille, paul)).toBeNull();
  }, 40_000);

  it("follows the network's quiet hours, read in the person's zone", async () => {
    const { window, end } = windowAroundNow();
    await h.db.query(`UPDATE users SET timezone = 'UTC' WHERE id = $1`, [camille.id]);
    await h.ok(
      SET_NETWORK,
      { input: { quietHours: { ...window, timezone: 'Europe/Paris' } } },
      admin.token,
    );
    try {
      expect(new Date((await untilOf(camille, paul))!).toISOString()).toBe(end);
    } finally {
      await h.ok(SET_NETWORK, { input: { clearQuietHours: true } }, admin.token);
    }
    expect(await untilOf(camille, paul)).toBeNull();
  });
});

describe('Query.pushPublicKey', () => {
  it('gives a signed-in person the P-256 public key, the same each time; nobody else', async () => {
    const { pushPublicKey } = await h.ok<{ pushPublicKey: string }>(
      `{ pushPublicKey }`,
      {},
      paul.token,
    );
    expect(Buffer.from(pushPublicKey, 'base64url')).toHaveLength(65);
    expect((await h.ok(`{ pushPublicKey }`, {}, camille.token)).pushPublicKey).toBe(pushPublicKey);
    expect(codeOf(await h.gql(`{ pushPublicKey }`))).toBe('UNAUTHENTICATED');
  });
});
