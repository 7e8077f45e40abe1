import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';

/** How many connections and how many messages on each, unless SMTP_URL's query says otherwise. */
export const SMTP_POOL = { maxConnections: 5, maxMessages: 1000 } as const;

/** An open connection is closed after this long unused (servers drop idle ones anyway). */
const IDLE_MS = 30_000;

interface Connection {
  smtp: SMTPConnection;
  sent: number;
  closed: boolean;
  idleTimer?: NodeJS.Timeout;
}

/**
 * SMTP connections kept open and reused, each sending one message at a time: nodemailer's
 * SMTPConnection (greeting, STARTTLS, AUTH, the envelope and the dot-stuffed data) without its
 * Mail pipeline, whose composer, address parsing and streams cost 0.8 ms of CPU per message
 * against 0.3 ms for the connection alone (the message here comes built, `notification.mime.ts`).
 * `SMTP_URL` is read as nodemailer reads it: `smtps://` for TLS from the start, `user:pass@` for
 * AUTH, and query options such as `?maxConnections=10&tls.rejectUnauthorized=false`.
 */
export class SmtpPool {
  private readonly options: SMTPConnection.Options & {
    maxConnections?: number;
    maxMessages?: number;
    auth?: SMTPConnection.Credentials;
  };
  private readonly idle: Connection[] = [];
  private readonly waiting: (() => void)[] = [];
  private open = 0;
  private stopped = false;

  constructor(url: string) {
    this.options = { ...SMTP_POOL, ...parseConnectionUrl(url) };
  }

  /**
   * Sends one message. Errors are nodemailer's: `responseCode` for what the server answered,
   * `code` for the connection. A connection found closed before the message went is replaced once.
   */
  async send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<void> {
    for (let retried = false; ; retried = true) {
      const connection = await this.acquire();
      const reused = connection.sent > 0;
      try {
        await new Promise<void>((resolve, reject) =>
          connection.smtp.send(envelope, raw, (error) => (error ? reject(error) : resolve())),
        );
        connection.sent++;
        this.release(connection);
        return;
      } catch (error) {
        const e = error as SMTPConnection.SMTPError;
        if (e.responseCode && e.responseCode !== 421 && !connection.closed) {
          // The server refused this message; the connection is fine once reset.
          connection.smtp.reset((resetError) =>
            resetError ? this.drop(connection) : this.release(connection),
          );
          throw error;
        }
        this.drop(connection);
        // A reused connection the server closed while it was idle: once more on a fresh one.
        if (!reused || retried || e.responseCode) throw error;
      }
    }
  }

  private async acquire(): Promise<Connection> {
    for (;;) {
      if (this.stopped) throw Object.assign(new Error('SMTP pool closed'), { code: 'ECONNECTION' });
      const idle = this.idle.pop();
      if (idle) {
        clearTimeout(idle.idleTimer);
        if (!idle.closed) return idle;
        continue;
      }
      if (this.open < (this.options.maxConnections ?? SMTP_POOL.maxConnections)) {
        this.open++;
        try {
          return await this.connect();
        } catch (error) {
          this.open--;
          this.waiting.shift()?.();
          throw error;
        }
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private async connect(): Promise<Connection> {
    const smtp = new SMTPConnection(this.options);
    let failed: (error: Error) => void = () => undefined;
    // Until it is connected, an error (a refused connection, a timeout) fails the connecting.
    const early = (error: Error) => failed(error);
    smtp.on('error', early);
    try {
      await new Promise<void>((resolve, reject) => {
        failed = reject;
        smtp.connect((error) => (error ? reject(error) : resolve()));
      });
      const auth = this.options.auth;
      if (auth) {
        await new Promise<void>((resolve, reject) => {
          failed = reject;
          smtp.login(auth, (error) => (error ? reject(error) : resolve()));
        });
      }
    } catch (error) {
      smtp.close();
      throw error;
    }
    const connection: Connection = { smtp, sent: 0, closed: false };
    smtp.on('error', () => this.drop(connection, false));
    smtp.on('end', () => this.drop(connection, false));
    smtp.off('error', early);
    return connection;
  }

  /** Back to the pool, or closed once it sent its share. */
  private release(connection: Connection): void {
    if (connection.closed) return;
    if (this.stopped || connection.sent >= (this.options.maxMessages ?? SMTP_POOL.maxMessages)) {
      this.drop(connection);
      return;
    }
    connection.idleTimer = setTimeout(() => this.drop(connection), IDLE_MS).unref();
    this.idle.push(connection);
    this.waiting.shift()?.();
  }

  /** Closes a connection (QUIT when it is still usable) and makes room for another. */
  private drop(connection: Connection, quit = true): void {
    if (connection.closed) return;
    connection.closed = true;
    clearTimeout(connection.idleTimer);
    this.open--;
    if (quit) connection.smtp.quit();
    else connection.smtp.close();
    this.waiting.shift()?.();
  }

  close(): void {
    this.stopped = true;
    for (const connection of this.idle.splice(0)) this.drop(connection);
    for (const wake of this.waiting.splice(0)) wake();
  }
}
