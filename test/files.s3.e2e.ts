import { filesSuite } from './support/files.suite.js';

// The same tests with STORAGE_DRIVER=s3, against an S3 server (s3rver) started on 127.0.0.1.
filesSuite('s3');
