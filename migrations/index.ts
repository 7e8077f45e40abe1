import type { MigrationInterface } from 'typeorm';
import { Foundation1763860000000 } from './1763860000000-foundation.js';
import { DirectorySearch1763950000000 } from './1763950000000-directory-search.js';
import { Groups1764000000000 } from './1764000000000-groups.js';
import { Content1764100000000 } from './1764100000000-content.js';
import { Storage1764200000000 } from './1764200000000-storage.js';
import { Notifications1764300000000 } from './1764300000000-notifications.js';
import { Search1764400000000 } from './1764400000000-search.js';
import { PostsSearch1764500000000 } from './1764500000000-posts-search.js';
import { CommentsSearch1764700000000 } from './1764700000000-comments-search.js';
import { Feed1764800000000 } from './1764800000000-feed.js';
import { Integrations1766600000000 } from './1766600000000-integrations.js';
import { DataRights1766200000000 } from './1766200000000-data-rights.js';
import { FailedDeliveriesIndex1765100000000 } from './1765100000000-failed-deliveries-index.js';
import { OutboxUntilDone1765000000000 } from './1765000000000-outbox-until-done.js';
import { SingleSignOn1766100000000 } from './1766100000000-single-sign-on.js';
import { StoredSearchVectors1764900000000 } from './1764900000000-stored-search-vectors.js';
import { Conversations1766400000000 } from './1766400000000-conversations.js';
import { Governance1766500000000 } from './1766500000000-governance.js';
import { Audit1766000000000 } from './1766000000000-audit.js';

/** Every migration, in order: one timeline for the whole application. Never edit a merged one. */
export const migrations: (new () => MigrationInterface)[] = [
  Foundation1763860000000,
  DirectorySearch1763950000000,
  Groups1764000000000,
  Content1764100000000,
  Storage1764200000000,
  Notifications1764300000000,
  Search1764400000000,
  PostsSearch1764500000000,
  CommentsSearch1764700000000,
  Feed1764800000000,
  StoredSearchVectors1764900000000,
  OutboxUntilDone1765000000000,
  FailedDeliveriesIndex1765100000000,
  Audit1766000000000,
  SingleSignOn1766100000000,
  DataRights1766200000000,
  Conversations1766400000000,
  Governance1766500000000,
  Integrations1766600000000,
];
