import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decrypt } from 'http_ece';

/** A throwaway certificate for 127.0.0.1, made with openssl; `caFile` is what the process under test trusts. */
export function throwawayCert(): {
  key: string;
  cert: string;
  caFile: string;
  dispose: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'ruche-push-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    caFile: join(dir, 'cert.pem'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The decrypted payload (the browser's side of aes128gcm). */
  payload: unknown;
}

/** A browser's push subscription: its own P-256 key pair and auth secret, as PushManager makes them. */
export class FakeBrowser {
  readonly ecdh: ECDH = createECDH('prime256v1');
  readonly auth = randomBytes(16);
  constructor(readonly endpoint: string) {
    this.ecdh.generateKeys();
  }
  get input() {
    return {
      endpoint: this.endpoint,
      p256dh: this.ecdh.getPublicKey().toString('base64url'),
      auth: this.auth.toString('base64url'),
    };
  }
}

/**
 * A Web Push service over real HTTPS: answers each POST with the next status of `script` (201
 * when empty) and keeps what it could decrypt for the subscription at that path.
 */
export class TestPushService {
  readonly received: Received[] = [];
  readonly hits: string[] = [];
  readonly script = new Map<string, number[]>();
  readonly browsers = new Map<string, FakeBrowser>();
  private server!: https.Server;
  url = '';

  async start(tls: { key: string; cert: string }): Promise<this> {
    this.server = https.createServer(tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        this.hits.push(path);
        const status = this.script.get(path)?.shift() ?? 201;
        if (status === 201) {
          const browser = this.browsers.get(path);
          const body = Buffer.concat(chunks);
          const payload = browser
            ? JSON.parse(
                decrypt(body, {
                  version: 'aes128gcm',
                  privateKey: browser.ecdh,
                  authSecret: browser.auth,
                }).toString('utf8'),
              )
            : null;
          this.received.push({ path, headers: req.headers, payload });
        }
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  browser(path: string): FakeBrowser {
    const b = new FakeBrowser(`${this.url}${path}`);
    this.browsers.set(path, b);
    return b;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
