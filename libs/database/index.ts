export { DatabaseModule } from './database.module.js';
export { dataSourceOptions, ensureDatabase, migrate } from './data-source.js';
export { SnakeNamingStrategy } from './snake-naming.strategy.js';
export { HotReads, Statement, statements } from './hot-reads.js';
export { WriteBatcher } from './write-batcher.js';
