import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An uploaded file. Unattached (post_id null) until the content module attaches it inside the
 * post-creating transaction. `post_id` has no foreign key: content owns posts, and an upload
 * exists before its post does. A name repeated on one post makes a new version; old ones stay.
 */
@Entity('attachments')
@Index('attachments_post_name_version_key', ['postId', 'fileName', 'version'], { unique: true })
@Index('attachments_storage_key_key', ['storageKey'], { unique: true })
@Index('attachments_uploader_created_idx', ['uploaderId', 'createdAt'])
@Index('attachments_unattached_created_idx', ['createdAt'], { where: '"post_id" IS NULL' })
export class AttachmentEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'attachments_pkey' })
  id: string;

  /** Identity owns users: no foreign key across domains. */
  @Column({ type: 'uuid' })
  uploaderId: string;

  @Column({ type: 'uuid', nullable: true })
  postId: string | null;

  /** Sanitized: no path separators, no control characters, at most 200 characters. */
  @Column({ type: 'text' })
  fileName: string;

  @Column({ type: 'text' })
  contentType: string;

  @Column({ type: 'int' })
  byteSize: number;

  /** Hex SHA-256 of the bytes. */
  @Column({ type: 'text' })
  sha256: string;

  /** Where the driver keeps the bytes: random, never derived from the file name. */
  @Column({ type: 'text' })
  storageKey: string;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
