#!/usr/bin/env node
// The `ruche` command: runs the built CLI (npm run build makes it; npm start builds first).
import { existsSync } from 'node:fs';

// The health check loads only what it needs: it runs every few seconds in a container.
const main = process.argv[2] === 'health' ? 'health-main.js' : 'main.js';
const entry = new URL(`../dist/apps/cli/${main}`, import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('ruche: not built yet; run `npm run build` first\n');
  process.exit(1);
}
await import(entry.href);
