import type { MigrationInterface } from 'typeorm';
import { Foundation1763860000000 } from './1763860000000-foundation.js';
import { DirectorySearch1763950000000 } from './1763950000000-directory-search.js';
import { Groups1764000000000 } from './1764000000000-groups.js';
import { Content1764100000000 } from './1764100000000-content.js';

/** Every migration, in order: one timeline for the whole application. Never edit a merged one. */
export const migrations: (new () => MigrationInterface)[] = [Foundation1763860000000, DirectorySearch1763950000000, Groups1764000000000, Content1764100000000];
