export { ContentModule } from './content.module.js';
export { PostsService } from './posts.service.js';
export { CommentsService } from './comments.service.js';
export {
  PostObject,
  CommentObject,
  PostConnection,
  CommentConnection,
  AudienceKind,
} from './graphql/content.objects.js';
export { PostsAttachmentPolicy } from './attachments.policy.js';
export { renderMarkdown } from './content.rules.js';
