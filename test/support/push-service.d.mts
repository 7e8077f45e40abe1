import type { ECDH } from 'node:crypto';

/** A throwaway certificate for 127.0.0.1, made with openssl; `caFile` is what the process under test trusts. */
export function throwawayCert(): {
  key: string;
  cert: string;
  caFile: string;
  dispose: () => void;
};

export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The decrypted payload (the browser's side of aes128gcm); null for a path with no browser. */
  payload: unknown;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** A browser's push subscription: its own P-256 key pair and auth secret, as PushManager makes them. */
export class FakeBrowser {
  readonly endpoint: string;
  readonly ecdh: ECDH;
  readonly auth: Buffer;
  constructor(endpoint: string);
  get input(): { endpoint: string; p256dh: string; auth: string };
}

/**
 * A Web Push service over real HTTPS: answers each POST with the next status of `script` (201
 * when empty) and keeps what it accepted, decrypted when the subscription at that path is one of
 * its `browsers`.
 */
export class TestPushService {
  readonly received: Received[];
  readonly hits: string[];
  readonly script: Map<string, number[]>;
  readonly browsers: Map<string, FakeBrowser>;
  url: string;
  start(tls: { key: string; cert: string }): Promise<this>;
  browser(path: string): FakeBrowser;
  stop(): Promise<void>;
}
