import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { type AppConfig } from '@ruche/config';

/** Where uploaded bytes live. Keys are random and made by the driver. */
export abstract class StorageDriver {
  /** A directory on the local disk where uploads are received before `putFile` takes them. */
  abstract readonly tempDir: string;
  /** Takes ownership of a received file (moved or copied, then removed); returns its key. */
  abstract putFile(path: string): Promise<string>;
  /** The stored bytes, or null when they are gone. */
  abstract open(key: string): Promise<Readable | null>;
  /** Removes the bytes; a missing key is not an error. */
  abstract remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f]{32}$/;

/**
 * Files under STORAGE_DIR, fanned out by the key's first two hex digits. Uploads land in
 * STORAGE_DIR/tmp first, so the move into place is a rename on the same file system.
 */
export class LocalDiskDriver extends StorageDriver {
  readonly root: string;
  readonly tempDir: string;

  constructor(config: AppConfig) {
    super();
    this.root = isAbsolute(config.STORAGE_DIR)
      ? config.STORAGE_DIR
      : resolve(process.cwd(), config.STORAGE_DIR);
    this.tempDir = join(this.root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true });
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error('Malformed storage key');
    return join(this.root, key);
  }

  async putFile(path: string): Promise<string> {
    const name = randomBytes(16).toString('hex');
    const key = `${name.slice(0, 2)}/${name}`;
    await mkdir(join(this.root, name.slice(0, 2)), { recursive: true });
    await rename(path, this.pathOf(key));
    return key;
  }

  open(key: string): Promise<Readable | null> {
    return new Promise((done, fail) => {
      const stream = createReadStream(this.pathOf(key));
      stream.once('open', () => done(stream));
      stream.once('error', (e: NodeJS.ErrnoException) =>
        e.code === 'ENOENT' ? done(null) : fail(e),
      );
    });
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

/** The driver STORAGE_DRIVER names (config validation admits `local` only for now). */
export async function createStorageDriver(config: AppConfig): Promise<StorageDriver> {
  const driver = new LocalDiskDriver(config);
  await driver.init();
  return driver;
}
