import { loadConfig } from '@ruche/config';
import { createApi } from './api.js';

const config = loadConfig();
const app = await createApi(config);
await app.listen(config.PORT);
