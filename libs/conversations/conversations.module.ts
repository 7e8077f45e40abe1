import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@ruche/identity';
import { NotifyModule } from '@ruche/notify';
import { ConversationsPubSub } from './conversations.pubsub.js';
import { ConversationsResolver, MessagesResolver } from './conversations.resolver.js';
import { ConversationsService } from './conversations.service.js';
import { InboundMailService } from './inbound-mail.service.js';
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
    IdentityModule,
    NotifyModule,
  ],
  providers: [ConversationsService, ConversationsPubSub, ConversationsResolver, MessagesResolver],
  exports: [ConversationsService],
})
export class ConversationsModule {}

/** The worker side: the reply-by-email listener (INBOUND_SMTP_PORT, off unless configured). */
@Module({
  imports: [
    TypeOrmModule.forFeature([ConversationEntity, ParticipantEntity, MessageEntity]),
    IdentityModule,
    NotifyModule,
  ],
  providers: [ConversationsService, ConversationsPubSub, InboundMailService],
})
export class ConversationsWorkerModule {}
