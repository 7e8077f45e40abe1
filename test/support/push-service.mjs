// A Web Push service over real HTTPS, for the tests (test/push.e2e.ts, ...) and the bench
// (bench/notify.mjs): plain JavaScript so both the TypeScript tests and the bench load it.
// Types: push-service.d.mts.
import { execFileSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decrypt } from 'http_ece';

/** A throwaway certificate for 127.0.0.1, made with openssl; `caFile` is what the process under test trusts. */
export function throwawayCert() {
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

/** A browser's push subscription: its own P-256 key pair and auth secret, as PushManager makes them. */
export class FakeBrowser {
  ecdh = createECDH('prime256v1');
  auth = randomBytes(16);
  constructor(endpoint) {
    this.endpoint = endpoint;
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
 * when empty) and keeps what it accepted, decrypted when the subscription at that path is one of
 * its `browsers` (the bench's are not: it only counts).
 */
export class TestPushService {
  received = [];
  hits = [];
  script = new Map();
  browsers = new Map();
  url = '';
  server;

  async start(tls) {
    this.server = https.createServer(tls, (req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        this.hits.push(path);
        const status = this.script.get(path)?.shift() ?? 201;
        if (status === 201) {
          const browser = this.browsers.get(path);
          const payload = browser
            ? JSON.parse(
                decrypt(Buffer.concat(chunks), {
                  version: 'aes128gcm',
                  privateKey: browser.ecdh,
                  authSecret: browser.auth,
                }).toString('utf8'),
              )
            : null;
          this.received.push({ path, headers: req.headers, payload, at: Date.now() });
        }
        res.writeHead(status).end();
      });
    });
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  browser(path) {
    const b = new FakeBrowser(`${this.url}${path}`);
    this.browsers.set(path, b);
    return b;
  }

  stop() {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
