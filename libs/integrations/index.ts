export { IntegrationsModule } from './integrations.module.js';
export { IntegrationsService, type HookAnswer } from './integrations.service.js';
export { MAX_HOOK_BYTES, parseHookPayload } from './payload.rules.js';
