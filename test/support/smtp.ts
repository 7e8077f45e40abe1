import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 that keeps what it receives; `outage` makes it answer 451. */
export class TestSmtp {
  readonly mails: ParsedMail[] = [];
  outage = false;
  /** Recipients refused for good (550 at RCPT TO). */
  refuse: (to: string) => boolean = () => false;
  /**
   * When set, mails after this many accepted ones are held (no answer to DATA) until `release()`;
   * a held mail whose client goes away (a killed worker) was never accepted and is not kept.
   */
  holdAfter: number | null = null;
  /** How many mails wait for an answer now. */
  held = 0;
  private releases: (() => void)[] = [];
  private closed = new Set<string>();
  private server!: SMTPServer;
  private waiters: (() => void)[] = [];
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refuse(address.address.toLowerCase()))
          return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        callback();
      },
      onClose: (session) => {
        this.closed.add(session.id);
        for (const wake of this.releases.splice(0)) wake();
      },
      onData: (stream, session, callback) => {
        if (this.outage) {
          stream.resume();
          stream.on('end', () =>
            callback(Object.assign(new Error('Try again later'), { responseCode: 451 })),
          );
          return;
        }
        simpleParser(stream, {}).then(
          async (mail) => {
            while (
              this.holdAfter !== null &&
              this.mails.length >= this.holdAfter &&
              !this.closed.has(session.id)
            ) {
              this.held++;
              await new Promise<void>((resolve) => this.releases.push(resolve));
              this.held--;
            }
            if (this.closed.has(session.id)) return;
            this.mails.push(mail);
            for (const wake of this.waiters.splice(0)) wake();
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    // A client that vanishes mid-session (a worker killed by a test) is not this server's failure.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as { port: number }).port;
    return this;
  }

  /** Waits for a mail to `to` matching `pick`, up to `ms`. */
  async waitFor(
    to: string,
    pick: (m: ParsedMail) => boolean = () => true,
    ms = 10000,
  ): Promise<ParsedMail> {
    const deadline = Date.now() + ms;
    const match = () => this.mails.find((m) => addresses(m).includes(to.toLowerCase()) && pick(m));
    for (;;) {
      const found = match();
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no mail to ${to} within ${ms} ms (got ${this.mails.length} others)`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  /** Stops holding: every held mail is accepted. */
  release(): void {
    this.holdAfter = null;
    for (const wake of this.releases.splice(0)) wake();
  }

  to(address: string): ParsedMail[] {
    return this.mails.filter((m) => addresses(m).includes(address.toLowerCase()));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function addresses(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** The token carried by the first link of a mail. */
export function tokenOf(mail: ParsedMail): string {
  const match = /[?&]token=([\w-]+)/.exec(mail.text ?? '');
  if (!match) throw new Error(`no token link in mail "${mail.subject}"`);
  return decodeURIComponent(match[1]);
}
