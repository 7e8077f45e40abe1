export { FeedModule, FeedWorkerModule } from './feed.module.js';
export { FeedService, type ActivityFacts } from './feed.service.js';
export { HomeFeedService, type ActivityView, type FeedPath } from './home-feed.service.js';
export { TimelinesService } from './timelines.service.js';
export { FanoutJobHandler, HOME_FEED_TOPIC, type HomeFeedMessage } from './fanout.job.js';
export type { ActivityVerbName } from './entities/activity.entity.js';
