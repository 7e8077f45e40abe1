import { Module } from '@nestjs/common';
import { ContentModule } from '@ruche/content';
import { FeedModule } from '@ruche/feed';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule } from '@ruche/identity';
import { HomeFeedResolver } from './home-feed.resolver.js';

/**
 * The home feed's GraphQL face (homeFeed, Activity, homeFeedUpdated). Apart from @ruche/feed, which
 * content, groups and identity call to record activities, because resolving an activity's objects
 * needs those domains: one library both ways would be a cycle.
 */
@Module({
  imports: [FeedModule, ContentModule, GroupsModule, IdentityModule],
  providers: [HomeFeedResolver],
})
export class HomeFeedModule {}
