import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { Repository, type EntityManager } from 'typeorm';
import { isUuid, loader, type RequestContext, type Viewer } from '@ruche/common';
import { AppConfig } from '@ruche/config';
import { RedisRateLimiter, RedisService } from '@ruche/queue';
import type { AttachmentReadPolicy } from './attachment-read.policy.js';
import { AttachmentEntity } from './entities/attachment.entity.js';
import { AttachmentObject } from './graphql/attachment.object.js';
import { StorageErrors } from './storage.errors.js';
import { StorageDriver } from './storage.driver.js';
import { baseType, sanitizeFileName, typeProblem } from './upload.rules.js';

/** Attachments per post. */
export const MAX_ATTACHMENTS = 20;
/** Unattached uploads older than this are removed. */
export const STALE_AFTER_MS = 24 * 3600 * 1000;
const SNIFF_BYTES = 4096;

/** A file received on the local disk by the transport (multer), not yet kept. */
export interface ReceivedFile {
  path: string;
  originalName: string;
  declaredType: string;
}

/** Uploads, their versions on a post, who may download them, and their cleanup. */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger('AttachmentsService');
  private readonly uploads: RedisRateLimiter;
  private readonly baseUrl: string;

  constructor(
    @InjectRepository(AttachmentEntity) private readonly repo: Repository<AttachmentEntity>,
    private readonly driver: StorageDriver,
    private readonly config: AppConfig,
    redis: RedisService,
  ) {
    this.uploads = new RedisRateLimiter(redis, 'uploads', config.RATE_UPLOADS_PER_USER, 60);
    this.baseUrl = config.PUBLIC_URL.replace(/\/+$/, '');
  }

  /** Where the transport writes incoming files (same file system as the store, for a rename). */
  get receiveDir(): string {
    return this.driver.tempDir;
  }

  /** Counts one upload of the viewer; RATE_LIMITED past RATE_UPLOADS_PER_USER a minute. */
  countUpload(viewer: Viewer): Promise<void> {
    return this.uploads.consume(viewer.id);
  }

  /**
   * Keeps a received file for its uploader, unattached: its declared type must be allowed and
   * agree with its first bytes. The received file is always gone afterwards (kept or removed).
   */
  async store(viewer: Viewer, file: ReceivedFile | undefined): Promise<AttachmentObject> {
    if (!file) throw StorageErrors.noFile();
    try {
      const problem = typeProblem(
        file.declaredType,
        this.config.UPLOAD_ALLOWED_TYPES,
        await head(file.path),
      );
      if (problem) throw StorageErrors.refusedType(problem);
      const { sha256, size } = await digest(file.path);
      if (size > this.config.UPLOAD_MAX_BYTES)
        throw StorageErrors.tooLarge(this.config.UPLOAD_MAX_BYTES);
      const key = await this.driver.putFile(file.path);
      try {
        const row = await this.repo.save(
          this.repo.create({
            uploaderId: viewer.id,
            postId: null,
            fileName: sanitizeFileName(file.originalName),
            contentType: baseType(file.declaredType),
            byteSize: size,
            sha256,
            storageKey: key,
            version: 1,
          }),
        );
        return this.toObject(row);
      } catch (error) {
        await this.driver.remove(key);
        throw error;
      }
    } finally {
      await rm(file.path, { force: true });
    }
  }

  /**
   * A file and its bytes, for a viewer who may read it: its uploader always; once attached, whoever
   * may read its post (asked of `policy`). Anything else is NOT_FOUND, as a missing or malformed id.
   */
  async openForViewer(
    viewer: Viewer,
    id: string,
    policy: AttachmentReadPolicy,
  ): Promise<{ file: AttachmentObject; stream: Readable }> {
    if (!isUuid(id)) throw StorageErrors.notFound();
    const row = await this.repo.findOneBy({ id });
    if (!row) throw StorageErrors.notFound();
    const readable =
      row.uploaderId === viewer.id ||
      (row.postId !== null && (await policy.readablePostIds(viewer, [row.postId])).has(row.postId));
    if (!readable) throw StorageErrors.notFound();
    const stream = await this.driver.open(row.storageKey);
    if (!stream) {
      this.logger.warn(`attachment ${row.id}: its bytes are missing from the store`);
      throw StorageErrors.notFound();
    }
    return { file: this.toObject(row), stream };
  }

  /**
   * Attaches uploads to a post, inside the caller's post-creating transaction. Only the uploader's
   * own unattached uploads qualify (else BAD_USER_INPUT on `attachmentIds`). A name already on the
   * post becomes its next version; older versions stay. The post is not looked up: `post_id` has
   * no foreign key (content owns posts and calls this once it wrote one).
   */
  async attach(
    manager: EntityManager,
    uploaderId: string,
    attachmentIds: string[],
    postId: string,
  ): Promise<AttachmentObject[]> {
    const ids = [...new Set(attachmentIds)];
    if (!ids.length) return [];
    if (ids.length > MAX_ATTACHMENTS) throw StorageErrors.tooMany(MAX_ATTACHMENTS);
    if (!ids.every(isUuid)) throw StorageErrors.notAttachable();
    // Two transactions attaching to one post would compute the same next version.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('attachments:' || $1))`, [postId]);
    const rows = await manager
      .getRepository(AttachmentEntity)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where('a.id IN (:...ids)', { ids })
      .andWhere('a.uploader_id = :uploaderId', { uploaderId })
      .andWhere('a.post_id IS NULL')
      .orderBy('a.created_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany();
    if (rows.length !== ids.length) throw StorageErrors.notAttachable();
    const names = [...new Set(rows.map((r) => r.fileName))];
    const latest: { file_name: string; version: number }[] = await manager.query(
      `SELECT file_name, max(version)::int AS version FROM attachments
        WHERE post_id = $1 AND file_name = ANY($2::text[]) GROUP BY file_name`,
      [postId, names],
    );
    const versions = new Map(latest.map((l) => [l.file_name, l.version]));
    for (const row of rows) {
      row.version = (versions.get(row.fileName) ?? 0) + 1;
      row.postId = postId;
      versions.set(row.fileName, row.version);
    }
    await manager.query(
      `UPDATE attachments a SET post_id = $1, version = v.version
         FROM unnest($2::uuid[], $3::int[]) AS v(id, version) WHERE a.id = v.id`,
      [postId, rows.map((r) => r.id), rows.map((r) => r.version)],
    );
    return rows.map((r) => this.toObject(r));
  }

  /**
   * The attachments of posts, batched per request: every version, by file name, the newest
   * version of a name first. The posts were resolved through the viewer's access already.
   */
  forPosts(ctx: RequestContext): DataLoader<string, AttachmentObject[]> {
    return loader(
      ctx,
      'attachments.byPost',
      () =>
        new DataLoader<string, AttachmentObject[]>(async (postIds) => {
          const valid = postIds.filter(isUuid);
          const rows = valid.length
            ? await this.repo
                .createQueryBuilder('a')
                .where('a.post_id IN (:...valid)', { valid })
                .orderBy('a.file_name', 'ASC')
                .addOrderBy('a.version', 'DESC')
                .getMany()
            : [];
          return postIds.map((id) =>
            rows.filter((r) => r.postId === id).map((r) => this.toObject(r)),
          );
        }),
    );
  }

  /**
   * Removes unattached uploads older than `olderThanMs` (rows first, then bytes: a stray file
   * harms no one, a row without bytes would), and received files a crash left behind.
   */
  async removeStale(olderThanMs = STALE_AFTER_MS, batch = 500): Promise<number> {
    let removed = 0;
    for (;;) {
      const rows: { storage_key: string }[] = await this.repo.query(
        `WITH gone AS (
           DELETE FROM attachments WHERE post_id IS NULL AND id IN (
             SELECT id FROM attachments WHERE post_id IS NULL AND created_at < now() - $1 * interval '1 millisecond'
              ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING storage_key)
         SELECT storage_key FROM gone`,
        [olderThanMs, batch],
      );
      for (const row of rows) await this.driver.remove(row.storage_key);
      removed += rows.length;
      if (rows.length < batch) break;
    }
    await this.sweepReceived(olderThanMs);
    return removed;
  }

  private async sweepReceived(olderThanMs: number): Promise<void> {
    const limit = Date.now() - olderThanMs;
    const names = await readdir(this.driver.tempDir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(this.driver.tempDir, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && info.mtimeMs < limit) await rm(path, { force: true });
    }
  }

  private toObject(row: AttachmentEntity): AttachmentObject {
    return {
      id: row.id,
      fileName: row.fileName,
      contentType: row.contentType,
      byteSize: row.byteSize,
      url: `${this.baseUrl}/api/files/${row.id}`,
      version: row.version,
      createdAt: row.createdAt,
    };
  }
}

/** The first bytes of a file, for its magic number. */
async function head(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** SHA-256 and length, streamed. */
async function digest(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { sha256: hash.digest('hex'), size };
}
