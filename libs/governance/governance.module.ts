import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContentModule } from '@ruche/content';
import { IdentityModule } from '@ruche/identity';
import { NetworkModule } from '@ruche/network';
import { NotifyModule } from '@ruche/notify';
import { AcknowledgementsService } from './acknowledgements.service.js';
import { CharterService } from './charter.service.js';
import {
  AcknowledgementReminderEntity,
  CharterAcceptanceEntity,
  CharterEntity,
  ModerationDecisionEntity,
  PostAcknowledgementEntity,
  ReportEntity,
} from './entities/governance.entities.js';
import {
  AcknowledgementsResolver,
  CharterResolver,
  NotificationReportResolver,
  ReportsResolver,
} from './governance.resolver.js';
import { ModerationService } from './moderation.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      CharterEntity,
      CharterAcceptanceEntity,
      ReportEntity,
      ModerationDecisionEntity,
      PostAcknowledgementEntity,
      AcknowledgementReminderEntity,
    ]),
    ContentModule,
    IdentityModule,
    NetworkModule,
    NotifyModule,
  ],
  providers: [
    CharterService,
    ModerationService,
    AcknowledgementsService,
    CharterResolver,
    ReportsResolver,
    NotificationReportResolver,
    AcknowledgementsResolver,
  ],
  exports: [CharterService, ModerationService, AcknowledgementsService],
})
export class GovernanceModule {}
