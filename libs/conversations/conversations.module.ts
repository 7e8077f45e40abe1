import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConversationEntity, ParticipantEntity } from './entities/conversation.entity.js';
import {
  MessageEntity,
  MessageReactionEntity,
  MessageRevisionEntity,
} from './entities/message.entity.js';

/** Conversations: private messages between participants (DESIGN.md "Conversations"). */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ConversationEntity,
      ParticipantEntity,
      MessageEntity,
      MessageRevisionEntity,
      MessageReactionEntity,
    ]),
  ],
})
export class ConversationsModule {}
