export { IntegrationsModule, IntegrationsWorkerModule } from './integrations.module.js';
export { WebhooksService } from './webhooks.service.js';
export { signedHeaders } from './signing.js';
export { WebhookDeliverHandler } from './webhook.jobs.js';
export { isForbiddenAddress } from './ssrf.js';
export { IntegrationsService, type HookAnswer } from './integrations.service.js';
export { MAX_HOOK_BYTES, parseHookPayload } from './payload.rules.js';
