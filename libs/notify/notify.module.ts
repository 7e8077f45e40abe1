import { Module } from '@nestjs/common';
import { NotifyService } from './notify.service.js';

/** The emit side of notifications, apart from @ruche/notifications so that domains it reads (groups) can emit. */
@Module({ providers: [NotifyService], exports: [NotifyService] })
export class NotifyModule {}
