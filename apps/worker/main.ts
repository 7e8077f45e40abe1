import { loadConfig } from '@ruche/config';
import { createWorker } from './worker.js';

await createWorker(loadConfig());
