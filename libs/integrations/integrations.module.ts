import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '@ruche/content';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule } from '@ruche/identity';
import { FeedModule } from '@ruche/feed';
import { IntegrationCallEntity, IntegrationEntity } from './entities/integration.entity.js';
import { WebhookDeliveryEntity, WebhookEntity } from './entities/webhook.entity.js';
import { WebhookDeliverHandler, WebhookDispatchHandler } from './webhook.jobs.js';
import { WebhooksResolver } from './webhooks.resolver.js';
import { WebhooksService } from './webhooks.service.js';
import { IntegrationsResolver } from './integrations.resolver.js';
import { IntegrationsService } from './integrations.service.js';

/** Incoming integrations (bots posting into a group) for the API. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      IntegrationEntity,
      IntegrationCallEntity,
      WebhookEntity,
      WebhookDeliveryEntity,
    ]),
    IdentityModule,
    GroupsModule,
    ContentModule,
  ],
  providers: [IntegrationsService, IntegrationsResolver, WebhooksService, WebhooksResolver],
  exports: [IntegrationsService, WebhooksService],
})
export class IntegrationsModule {}

/** The worker side: webhook dispatch and delivery jobs. */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookEntity, WebhookDeliveryEntity]),
    IdentityModule,
    FeedModule,
    ContentModule,
  ],
  providers: [WebhookDispatchHandler, WebhookDeliverHandler],
})
export class IntegrationsWorkerModule {}
