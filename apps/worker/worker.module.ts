import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig, ConfigModule } from '@ruche/config';
import { ConversationsWorkerModule } from '@ruche/conversations';
import { DataRightsWorkerModule } from '@ruche/data-rights';
import { DatabaseModule } from '@ruche/database';
import { FeedWorkerModule } from '@ruche/feed';
import { IntegrationsWorkerModule } from '@ruche/integrations';
import { MailModule } from '@ruche/mail';
import { NotificationsWorkerModule } from '@ruche/notifications';
import { OutboxRelayService, QueueModule } from '@ruche/queue';
import { RucheLoggerModule } from '@ruche/observability';
import { StorageWorkerModule } from '@ruche/storage';
import { JobsRunner } from './jobs.runner.js';

/** The worker: no HTTP, BullMQ processors and the outbox relay. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        RucheLoggerModule,
        DatabaseModule,
        QueueModule,
        DiscoveryModule,
        MailModule,
        StorageWorkerModule,
        NotificationsWorkerModule,
        FeedWorkerModule,
        ConversationsWorkerModule,
        IntegrationsWorkerModule,
        DataRightsWorkerModule,
      ],
      providers: [JobsRunner, OutboxRelayService],
    };
  }
}
