import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SmtpPool } from '@ruche/mail';

/** A real SMTP server counting its connections and the messages each carried. */
async function server(options: Partial<SMTPServerOptions> = {}) {
  const state = { connections: 0, open: 0, messages: [] as { session: string; to: string }[] };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect: (_session, callback) => {
      state.connections++;
      state.open++;
      callback();
    },
    onClose: () => {
      state.open--;
    },
    onRcptTo: (address, _session, callback) =>
      address.address.startsWith('refused')
        ? callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }))
        : callback(),
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        state.messages.push({ session: session.id, to: session.envelope.rcptTo[0].address });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as { port: number };
  return {
    state,
    url: (auth = '', query = '') => `smtp://${auth}127.0.0.1:${port}${query}`,
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

const raw = (to: string) =>
  Buffer.from(`From: a@ruche.test\r\nTo: ${to}\r\nSubject: test\r\n\r\nHello ${to}\r\n`);
const send = (pool: SmtpPool, to: string) => pool.send({ from: 'a@ruche.test', to: [to] }, raw(to));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SMTP pool', () => {
  it('sends many messages at once over at most maxConnections connections, reused, then closed', async () => {
    const s = await server();
    const pool = new SmtpPool(s.url('', '?maxConnections=3'));
    try {
      await Promise.all(Array.from({ length: 30 }, (_, i) => send(pool, `p${i}@ruche.test`)));
      expect(s.state.messages).toHaveLength(30);
      expect(new Set(s.state.messages.map((m) => m.to)).size).toBe(30);
      expect(s.state.connections).toBe(3);
      await Promise.all(Array.from({ length: 6 }, (_, i) => send(pool, `q${i}@ruche.test`)));
      expect(s.state.connections).toBe(3);
    } finally {
      pool.close();
    }
    for (let i = 0; i < 50 && s.state.open > 0; i++) await sleep(20);
    expect(s.state.open).toBe(0);
    await s.stop();
  });

  it('opens a new connection after maxMessages', async () => {
    const s = await server();
    const pool = new SmtpPool(s.url('', '?maxConnections=1&maxMessages=2'));
    try {
      for (let i = 0; i < 5; i++) await send(pool, `r${i}@ruche.test`);
      expect(s.state.connections).toBe(3);
      expect(new Set(s.state.messages.map((m) => m.session)).size).toBe(3);
    } finally {
      pool.close();
      await s.stop();
    }
  });

  it('keeps the connection when the server refuses a recipient, with the code for the caller', async () => {
    const s = await server();
    const pool = new SmtpPool(s.url('', '?maxConnections=1'));
    try {
      await send(pool, 'first@ruche.test');
      await expect(send(pool, 'refused@ruche.test')).rejects.toMatchObject({ responseCode: 550 });
      await send(pool, 'after@ruche.test');
      expect(s.state.messages.map((m) => m.to)).toEqual(['first@ruche.test', 'after@ruche.test']);
      expect(s.state.connections).toBe(1);
    } finally {
      pool.close();
      await s.stop();
    }
  });

  it('replaces a connection the server closed while it was idle, and the message still goes', async () => {
    const s = await server({ socketTimeout: 300 });
    const pool = new SmtpPool(s.url('', '?maxConnections=1'));
    try {
      await send(pool, 'before@ruche.test');
      await sleep(800);
      await send(pool, 'later@ruche.test');
      expect(s.state.messages.map((m) => m.to)).toEqual(['before@ruche.test', 'later@ruche.test']);
      expect(s.state.connections).toBe(2);
    } finally {
      pool.close();
      await s.stop();
    }
  });

  it('logs in with the credentials of the URL, and fails with the code when they are wrong', async () => {
    const s = await server({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) =>
        auth.username === 'ruche' && auth.password === 's3cret'
          ? callback(null, { user: auth.username })
          : callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 })),
    });
    const good = new SmtpPool(s.url('ruche:s3cret@'));
    const bad = new SmtpPool(s.url('ruche:wrong@'));
    try {
      await send(good, 'authed@ruche.test');
      expect(s.state.messages.map((m) => m.to)).toEqual(['authed@ruche.test']);
      await expect(send(bad, 'nope@ruche.test')).rejects.toMatchObject({ responseCode: 535 });
      expect(s.state.messages).toHaveLength(1);
    } finally {
      good.close();
      bad.close();
      await s.stop();
    }
  });

  it('says the server is unreachable with a connection error code', async () => {
    const s = await server();
    const url = s.url();
    await s.stop();
    const pool = new SmtpPool(url);
    try {
      await expect(send(pool, 'x@ruche.test')).rejects.toMatchObject({ code: 'ESOCKET' });
    } finally {
      pool.close();
    }
  });
});
