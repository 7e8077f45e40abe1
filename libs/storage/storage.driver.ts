import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
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
  /** Whether bytes are stored under the key. */
  abstract exists(key: string): Promise<boolean>;
  /**
   * Writes, reads back and removes a probe (for `ruche doctor`); resolves to where the store is,
   * rejects with what is wrong.
   */
  abstract check(): Promise<string>;
}

/** A new random key: two hex digits, a slash, 32 hex digits. */
function newKey(): string {
  const name = randomBytes(16).toString('hex');
  return `${name.slice(0, 2)}/${name}`;
}

function receiveDir(config: AppConfig): string {
  const root = isAbsolute(config.STORAGE_DIR)
    ? config.STORAGE_DIR
    : resolve(process.cwd(), config.STORAGE_DIR);
  return join(root, 'tmp');
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
    this.tempDir = receiveDir(config);
  }

  async init(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true });
  }

  private pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error('Malformed storage key');
    return join(this.root, key);
  }

  async putFile(path: string): Promise<string> {
    const key = newKey();
    await mkdir(join(this.root, key.slice(0, 2)), { recursive: true });
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

  async exists(key: string): Promise<boolean> {
    return access(this.pathOf(key)).then(
      () => true,
      () => false,
    );
  }

  async check(): Promise<string> {
    await this.init();
    const probe = join(this.root, `.doctor-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, 'ok');
    await rm(probe);
    return this.root;
  }
}

/** S3 answers that mean "no such object" (GET says NoSuchKey, HEAD only its status). */
const missing = (e: unknown) =>
  e instanceof S3ServiceException &&
  (e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata.httpStatusCode === 404);

/**
 * Objects in an S3 bucket (AWS, or MinIO and other S3-compatible stores through S3_ENDPOINT), under
 * the same keys as the local driver. Uploads are received on the local disk (STORAGE_DIR/tmp) and
 * streamed to the bucket with their length; downloads stream from the bucket.
 */
export class S3Driver extends StorageDriver {
  readonly tempDir: string;
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(private readonly config: AppConfig) {
    super();
    this.tempDir = receiveDir(config);
    this.bucket = config.S3_BUCKET!;
    this.client = new S3Client({
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
      credentials:
        config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
          ? {
              accessKeyId: config.S3_ACCESS_KEY_ID,
              secretAccessKey: config.S3_SECRET_ACCESS_KEY,
            }
          : undefined,
      // Checksums only where S3 requires them: the SDK's default trailing CRC (aws-chunked
      // bodies) is not understood by every S3-compatible store.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  async init(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true });
  }

  async putFile(path: string): Promise<string> {
    const key = newKey();
    const { size } = await stat(path);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(path),
        ContentLength: size,
        ContentType: 'application/octet-stream',
      }),
    );
    await rm(path, { force: true });
    return key;
  }

  async open(key: string): Promise<Readable | null> {
    if (!KEY.test(key)) throw new Error('Malformed storage key');
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return (Body as Readable | undefined) ?? null;
    } catch (e) {
      if (missing(e)) return null;
      throw e;
    }
  }

  async remove(key: string): Promise<void> {
    if (!KEY.test(key)) throw new Error('Malformed storage key');
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    if (!KEY.test(key)) throw new Error('Malformed storage key');
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (e) {
      if (missing(e)) return false;
      throw e;
    }
  }

  async check(): Promise<string> {
    await this.init();
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    const probe = `.doctor-${randomBytes(4).toString('hex')}`;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: probe, Body: 'ok' }));
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: probe }));
    return `s3://${this.bucket}${this.config.S3_ENDPOINT ? ` at ${this.config.S3_ENDPOINT}` : ` in ${this.config.S3_REGION}`}`;
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}

/** The driver STORAGE_DRIVER names, with its receiving directory made. */
export async function createStorageDriver(config: AppConfig): Promise<StorageDriver> {
  const driver =
    config.STORAGE_DRIVER === 's3' ? new S3Driver(config) : new LocalDiskDriver(config);
  await driver.init();
  return driver;
}
