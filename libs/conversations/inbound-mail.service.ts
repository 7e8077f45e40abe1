import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { DataSource } from 'typeorm';
import type { Viewer } from '@ruche/common';
import { AppConfig } from '@ruche/config';
import { ReplyTokens } from '@ruche/identity';
import { RucheLogger } from '@ruche/observability';
import { ConversationsService, CONVERSATION_LIMITS } from './conversations.service.js';
import { replyText } from './reply-text.js';

/** Who a reply address stands for, found at RCPT TO. */
interface ReplyTarget {
  viewer: Viewer;
  email: string;
  conversationId: string;
}

const refuse = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * Reply by email: an SMTP listener (behind the company's MX) for reply+<token>@INBOUND_DOMAIN.
 * The token (ReplyTokens) names a MESSAGE notification, hence its recipient and conversation; the
 * envelope sender and the From header must both be that person's address; the new words of the
 * reply (replyText) become their message, through ConversationsService — the same rules, limits
 * and notifications as over the API. Anything else is refused with a 5xx and nothing is written.
 */
@Injectable()
export class InboundMailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: SMTPServer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly tokens: ReplyTokens,
    private readonly conversations: ConversationsService,
    private readonly logger: RucheLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.INBOUND_SMTP_PORT;
    if (!port || !this.config.INBOUND_DOMAIN) return;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      banner: 'Ruche reply-by-email',
      size: CONVERSATION_LIMITS.body * 8 + 1_000_000,
      onRcptTo: (address, session, done) => {
        this.target(address, session).then(
          () => done(),
          (e: Error) => done(e),
        );
      },
      onData: (stream, session, done) => {
        this.receive(stream, session).then(
          () => done(),
          (e: Error & { responseCode?: number }) =>
            done(e.responseCode ? e : refuse(550, 'Refused')),
        );
      },
    });
    this.server.on('error', (e) => this.logger.pino.warn({ err: e }, 'inbound smtp'));
    await new Promise<void>((resolve) => this.server!.listen(port, resolve));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private async target(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    const state = session as SMTPServerSession & { reply?: ReplyTarget };
    if (state.reply) throw refuse(452, 'One recipient per reply');
    const m = /^reply\+([0-9a-z]+)@(.+)$/i.exec(address.address);
    if (!m || m[2].toLowerCase() !== this.config.INBOUND_DOMAIN!.toLowerCase())
      throw refuse(550, 'No such recipient');
    const id = await this.tokens.verify(m[1]);
    if (!id) throw refuse(550, 'No such recipient');
    const [row] = await this.db.query<
      {
        id: string;
        role: Viewer['role'];
        status: Viewer['status'];
        email: string;
        conversation_id: string;
      }[]
    >(
      `SELECT u.id, u.role, u.status, u.email, msg.conversation_id FROM notifications n
         JOIN users u ON u.id = n.recipient_id JOIN messages msg ON msg.id = n.message_id
        WHERE n.id = $1 AND n.type = 'MESSAGE'`,
      [id],
    );
    if (!row) throw refuse(550, 'No such recipient');
    const from = session.envelope.mailFrom;
    if (!from || from.address.toLowerCase() !== row.email.toLowerCase())
      throw refuse(550, 'This address does not accept mail from this sender');
    state.reply = {
      viewer: { id: row.id, sessionId: 'email', role: row.role, status: row.status },
      email: row.email,
      conversationId: row.conversation_id,
    };
  }

  private async receive(stream: NodeJS.ReadableStream, session: SMTPServerSession): Promise<void> {
    const reply = (session as SMTPServerSession & { reply?: ReplyTarget }).reply;
    if (!reply) throw refuse(554, 'No valid recipient');
    const mail = await simpleParser(stream as never);
    if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
      throw refuse(552, 'Message too large');
    const from = mail.from?.value ?? [];
    if (from.length !== 1 || from[0].address?.toLowerCase() !== reply.email.toLowerCase())
      throw refuse(550, 'The sender is not the person this address was given to');
    // TODO(#15): attachments through libs/storage once messages carry them; refused until then.
    if (mail.attachments.length) throw refuse(552, 'Attachments are not accepted by email yet');
    const body = replyText(mail.text ?? '');
    if (!body) throw refuse(550, 'Empty reply');
    try {
      // The same checks as the API: still a participant, ACTIVE, within the limits.
      await this.conversations.send(reply.viewer, reply.conversationId, body);
    } catch (e) {
      const code = (e as { extensions?: { code?: string } }).extensions?.code;
      throw refuse(code === 'RATE_LIMITED' ? 451 : 550, (e as Error).message);
    }
  }
}
