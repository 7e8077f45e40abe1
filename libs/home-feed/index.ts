export { HomeFeedModule } from './home-feed.module.js';
export { ActivityObject, ActivityConnection, ActivityVerb } from './activity.objects.js';
