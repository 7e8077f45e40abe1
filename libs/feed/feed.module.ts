import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityEntity } from './entities/activity.entity.js';
import { FanoutJobHandler } from './fanout.job.js';
import { FeedService } from './feed.service.js';
import { HomeFeedService } from './home-feed.service.js';
import { TimelinesService } from './timelines.service.js';

const entities = TypeOrmModule.forFeature([ActivityEntity]);

/** The write side (activities, their fan-out) and the home feed's reads; depends on no domain. */
@Module({
  imports: [entities],
  providers: [FeedService, HomeFeedService, TimelinesService],
  exports: [FeedService, HomeFeedService, TimelinesService],
})
export class FeedModule {}

/** The worker side: the fan-out job. */
@Module({
  imports: [entities],
  providers: [TimelinesService, FanoutJobHandler],
})
export class FeedWorkerModule {}
