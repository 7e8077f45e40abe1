import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEntity } from './outbox.entity.js';
import { OutboxService } from './outbox.service.js';
import { RedisPubSub } from './pubsub.js';
import { QueuesService } from './queues.service.js';
import { RedisService } from './redis.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEntity])],
  providers: [RedisService, QueuesService, OutboxService, RedisPubSub],
  exports: [RedisService, QueuesService, OutboxService, RedisPubSub],
})
export class QueueModule {}
