import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A group's incoming integration: its bot (a users row, identity's) posts into `groupId` only.
 * The secret of its URL is kept as SHA-256 (it is random, 32 bytes: no slow hash needed).
 * No foreign keys across domains (groups, users).
 */
@Entity('integrations')
@Index('integrations_group_idx', ['groupId', 'createdAt'])
export class IntegrationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'integrations_pkey' })
  id: string;

  @Column({ type: 'uuid' }) groupId: string;
  @Column({ type: 'uuid' }) botId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) secretHash: string;
  @Column({ type: 'uuid' }) createdById: string;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** One call of an integration's URL: when, the answer's status, from where, how big. Never the body. */
@Entity('integration_calls')
@Index('integration_calls_integration_idx', ['integrationId', 'createdAt'])
export class IntegrationCallEntity {
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'integration_calls_pkey',
  })
  id: string;

  @Column({ type: 'uuid' }) integrationId: string;
  @Column({ type: 'integer' }) status: number;
  @Column({ type: 'text' }) ip: string;
  @Column({ type: 'integer' }) size: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
