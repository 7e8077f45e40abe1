import { ResolveField, Resolver } from '@nestjs/graphql';
import { type RequestContext } from '@ruche/common';
import { AttachmentObject, AttachmentsService } from '@ruche/storage';
import { PostObject } from './graphql/content.objects.js';

@Resolver(() => PostObject)
export class PostAttachmentsResolver {
  constructor(private readonly files: AttachmentsService) {}

  /** The post was read through the access rule already; its files follow it. Batched per request. */
  @ResolveField(() => [AttachmentObject])
  attachments(post: PostObject, _args: unknown, ctx: RequestContext): Promise<AttachmentObject[]> {
    return this.files.forPosts(ctx).load(post.id);
  }
}
