import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '@ruche/content';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule } from '@ruche/identity';
import { MailModule } from '@ruche/mail';
import { NetworkModule } from '@ruche/network';
import { Clock } from './clock.js';
import { DeliveryMetrics } from './delivery.metrics.js';
import { DeliverySenders } from './delivery.senders.js';
import { DeliveryService } from './delivery.service.js';
import { NotificationDeliveryEntity } from './entities/notification-delivery.entity.js';
import { NotificationPreferencesEntity } from './entities/notification-preferences.entity.js';
import { NotificationEntity } from './entities/notification.entity.js';
import { PushSubscriptionEntity } from './entities/push-subscription.entity.js';
import {
  DeliverBatchJobHandler,
  DeliverJobHandler,
  NotifyJobHandler,
} from './notification.jobs.js';
import { NotificationsPubSub } from './notifications.pubsub.js';
import { NotificationsResolver } from './notifications.resolver.js';
import { NotificationsService } from './notifications.service.js';
import { PreferencesService } from './preferences.service.js';
import { UserQuietHoursResolver } from './quiet-hours.resolver.js';
import { VapidKeys } from './vapid.js';

const entities = TypeOrmModule.forFeature([
  NotificationEntity,
  NotificationPreferencesEntity,
  PushSubscriptionEntity,
  NotificationDeliveryEntity,
]);

/** The API side: notifications, preferences, push subscriptions, the live subscription. */
@Module({
  imports: [entities, IdentityModule, GroupsModule, ContentModule, NetworkModule],
  providers: [
    Clock,
    VapidKeys,
    UserQuietHoursResolver,
    NotificationsService,
    PreferencesService,
    NotificationsPubSub,
    NotificationsResolver,
    DeliveryMetrics,
  ],
  exports: [PreferencesService],
})
export class NotificationsModule {}

/** The worker side: the notify and delivery jobs. */
@Module({
  imports: [entities, IdentityModule, GroupsModule, NetworkModule, MailModule],
  providers: [
    Clock,
    PreferencesService,
    NotificationsPubSub,
    VapidKeys,
    DeliverySenders,
    DeliveryService,
    NotifyJobHandler,
    DeliverJobHandler,
    DeliverBatchJobHandler,
  ],
  exports: [Clock],
})
export class NotificationsWorkerModule {}
