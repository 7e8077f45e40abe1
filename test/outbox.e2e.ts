import { createWorker } from '../apps/worker/worker.js';
import { QueuesService } from '@ruche/queue';
import { Harness } from './support/harness.js';
import { allowDomains, makeAdmin, PASSWORD, SIGN_UP, uniqueEmail } from './support/builders.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start(); // no worker yet: it is "down"
  await allowDomains(h, await makeAdmin(h));
});
afterAll(() => h.stop());

const outboxCount = async () =>
  Number((await h.db.query('SELECT count(*) FROM outbox')).rows[0].count);

describe('the outbox', () => {
  it('keeps emails written while no worker runs, sends each once when one starts, even after a crash mid-relay', async () => {
    const early = uniqueEmail('early');
    await h.ok(SIGN_UP, { input: { email: early, password: PASSWORD, displayName: 'Early Bird' } });
    expect(await outboxCount()).toBe(1);

    // A relay that crashed after handing a row to BullMQ but before deleting it: the job is
    // already queued under the outbox id, and the row is still there.
    const late = uniqueEmail('late');
    await h.ok(SIGN_UP, { input: { email: late, password: PASSWORD, displayName: 'Late Bird' } });
    const row = (
      await h.db.query(`SELECT id, payload FROM outbox WHERE payload->>'to' = $1`, [late])
    ).rows[0];
    await h.api
      .get(QueuesService)
      .get('email')
      .add('email', row.payload, { jobId: `outbox-${row.id}` });

    await new Promise((r) => setTimeout(r, 500));
    expect(h.smtp.mails).toHaveLength(0);

    h.worker = await createWorker(h.config);
    await h.smtp.waitFor(early);
    await h.smtp.waitFor(late);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.smtp.to(early)).toHaveLength(1);
    expect(h.smtp.to(late)).toHaveLength(1);
    expect(await outboxCount()).toBe(0);
  });
});
