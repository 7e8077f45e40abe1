import { filesSuite } from './support/files.suite.js';

// Uploads, downloads, versions and cleanup with the local-disk driver (STORAGE_DIR).
filesSuite('local');
