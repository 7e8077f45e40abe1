export * from './jobs.js';
export { QueueModule } from './queue.module.js';
export { RedisService } from './redis.service.js';
export { QueuesService } from './queues.service.js';
export { OutboxService } from './outbox.service.js';
export { OutboxRelayService } from './outbox-relay.service.js';
export { RedisRateLimiter } from './rate-limiter.js';
export { HandlesQueue, JOB_HANDLER, type JobHandler, type JobResult } from './job-handler.js';
export { RedisPubSub } from './pubsub.js';
