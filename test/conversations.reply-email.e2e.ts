import { createServer } from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { Harness } from './support/harness.js';
import { someone, type Someone } from './support/people.js';

/**
 * Reply by email through a real SMTP session to the worker's listener: the message email's
 * Reply-To is the recipient's own signed address; a reply from that person appears in the
 * conversation as their message, quotes and signature cut; a forged one (wrong envelope sender,
 * wrong From, tampered token) is refused with a 5xx and nothing is written.
 */
let h: Harness;
let a: Someone, b: Someone, other: Someone;
let port: number;
const emails = new Map<string, string>();

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return p;
}

beforeAll(async () => {
  port = await freePort();
  h = await Harness.start({
    worker: true,
    env: { INBOUND_DOMAIN: 'reply.ruche.test', INBOUND_SMTP_PORT: String(port) },
  });
  [a, b, other] = [await someone(h), await someone(h), await someone(h)];
  for (const p of [a, b, other]) {
    const { rows } = await h.db.query('SELECT email FROM users WHERE id = $1', [p.id]);
    emails.set(p.id, (rows[0] as { email: string }).email);
  }
});
afterAll(() => h.stop());

const transport = () =>
  nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });

async function refusal(mail: SendMailOptions): Promise<number | undefined> {
  try {
    await transport().sendMail(mail);
    return 250;
  } catch (e) {
    return (e as { responseCode?: number }).responseCode;
  }
}

async function bodies(conversationId: string): Promise<{ body: string; author: string | null }[]> {
  const r = await h.ok(
    `query($c: ID!) { messages(conversationId: $c) { nodes { body author { id } } } }`,
    { c: conversationId },
    a.token,
  );
  return (r.messages.nodes as { body: string; author: { id: string } | null }[]).map((m) => ({
    body: m.body,
    author: m.author?.id ?? null,
  }));
}

it('a reply from the recipient appears in the conversation; forged ones are refused and write nothing', async () => {
  const started = await h.ok(
    `mutation($p: [ID!]!) { startConversation(participantIds: $p, body: "Tu viens demain ?") { id } }`,
    { p: [b.id] },
    a.token,
  );
  const id = started.startConversation.id as string;
  const mail = await h.smtp.waitFor(emails.get(b.id)!, () => true, 20_000);
  const replyTo = mail.replyTo?.value[0]?.address;
  expect(replyTo).toMatch(/^reply\+[0-9a-f]{52}@reply\.ruche\.test$/);
  const bEmail = emails.get(b.id)!;

  // Forgeries first: nothing may be written by any of them.
  const tampered = replyTo!.replace(/([0-9a-f])@/, (_m, c: string) => `${c === '0' ? '1' : '0'}@`);
  expect(
    await refusal({ from: bEmail, to: tampered, subject: 'Re', text: 'forged 1' }),
  ).toBeGreaterThanOrEqual(500);
  expect(
    await refusal({
      envelope: { from: emails.get(other.id)!, to: replyTo! },
      from: bEmail,
      to: replyTo!,
      subject: 'Re',
      text: 'forged 2',
    }),
  ).toBeGreaterThanOrEqual(500);
  expect(
    await refusal({
      envelope: { from: bEmail, to: replyTo! },
      from: emails.get(other.id)!,
      to: replyTo!,
      subject: 'Re',
      text: 'forged 3',
    }),
  ).toBeGreaterThanOrEqual(500);
  expect(
    await refusal({ from: bEmail, to: 'reply+nothing@reply.ruche.test', subject: 'Re', text: 'x' }),
  ).toBeGreaterThanOrEqual(500);
  expect(await bodies(id)).toEqual([{ body: 'Tu viens demain ?', author: a.id }]);

  // The real reply, as Gmail in French writes it.
  await transport().sendMail({
    from: bEmail,
    to: replyTo!,
    subject: 'Re: message',
    text: 'Oui, à 9 h.\n\nLe jeu. 3 déc. 2026 à 17:00, Ruche <no-reply@localhost> a écrit :\n> Tu viens demain ?\n',
  });
  expect(await bodies(id)).toEqual([
    { body: 'Oui, à 9 h.', author: b.id },
    { body: 'Tu viens demain ?', author: a.id },
  ]);
  // A's side is told as over the API (the reply is a message like any other).
  await h.smtp.waitFor(emails.get(a.id)!, () => true, 20_000);

  // Once they left the conversation, the same address writes nothing any more.
  await h.ok(`mutation($c: ID!) { leaveConversation(conversationId: $c) }`, { c: id }, b.token);
  expect(
    await refusal({ from: bEmail, to: replyTo!, subject: 'Re', text: 'after leaving' }),
  ).toBeGreaterThanOrEqual(500);
  expect((await bodies(id)).map((m) => m.body)).not.toContain('after leaving');
}, 50_000);
