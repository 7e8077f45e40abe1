/** Conversations: private messages, their participants and read positions. */
export { ConversationsModule, ConversationsWorkerModule } from './conversations.module.js';
export { ConversationsService, CONVERSATION_LIMITS } from './conversations.service.js';
export { ConversationObject, MessageObject } from './graphql/conversation.objects.js';
