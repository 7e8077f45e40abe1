// `ruche health api|worker`, apart from the CLI's main so a container health check every few
// seconds loads the configuration and nothing else (no Nest, no database driver).
import { ConfigError, loadConfig } from '@ruche/config';
import { health } from './health.js';

try {
  const problem = await health(loadConfig(), process.argv[3]);
  if (problem) {
    process.stderr.write(`ruche: ${problem}\n`);
    process.exit(1);
  }
  process.exit(0);
} catch (e) {
  process.stderr.write(`ruche: ${e instanceof ConfigError ? e.message : String(e)}\n`);
  process.exit(1);
}
