export { ContentModule } from './content.module.js';
export { PostsService, toPostObject } from './posts.service.js';
export { CommentsService } from './comments.service.js';
export {
  PostObject,
  CommentObject,
  PostConnection,
  ReactionSummaryObject,
  CommentConnection,
  AudienceKind,
} from './graphql/content.objects.js';
export { PostsAttachmentPolicy } from './attachments.policy.js';
export { renderMarkdown, extractMentions } from './content.rules.js';
