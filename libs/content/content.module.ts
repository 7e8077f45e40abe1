import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FeedModule } from '@ruche/feed';
import { GroupsModule } from '@ruche/groups';
import { IdentityModule } from '@ruche/identity';
import { StorageModule } from '@ruche/storage';
import { PostsAttachmentPolicy } from './attachments.policy.js';
import { PostAttachmentsResolver } from './attachments.resolver.js';
import { NotifyModule } from '@ruche/notify';
import { CommentsService } from './comments.service.js';
import {
  AudienceResolver,
  CommentsResolver,
  GroupFeedResolver,
  PostsResolver,
  UserWallResolver,
} from './content.resolver.js';
import { CommentEntity } from './entities/comment.entity.js';
import { ContentRevisionEntity } from './entities/content-revision.entity.js';
import { PollOptionEntity, PollVoteEntity } from './entities/poll.entity.js';
import { PostEntity } from './entities/post.entity.js';
import { ReactionEntity } from './entities/reaction.entity.js';
import { PostsService } from './posts.service.js';
import { ReactionsService } from './reactions.service.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      PostEntity,
      CommentEntity,
      ContentRevisionEntity,
      ReactionEntity,
      PollOptionEntity,
      PollVoteEntity,
    ]),
    IdentityModule,
    GroupsModule,
    StorageModule,
    NotifyModule,
    FeedModule,
  ],
  providers: [
    PostsService,
    CommentsService,
    ReactionsService,
    PostsResolver,
    AudienceResolver,
    CommentsResolver,
    UserWallResolver,
    GroupFeedResolver,
    PostAttachmentsResolver,
    PostsAttachmentPolicy,
  ],
  exports: [PostsService, CommentsService, PostsAttachmentPolicy],
})
export class ContentModule {}
