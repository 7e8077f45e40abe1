/** Conversations: private messages, their participants and read positions. */
export { ConversationsModule } from './conversations.module.js';
