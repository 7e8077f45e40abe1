import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AppConfig } from '@ruche/config';
import {
  HandlesQueue,
  RedisService,
  type EmailJob,
  type JobHandler,
  type JobResult,
} from '@ruche/queue';
import { Mailer } from './mailer.js';
import { renderEmail } from './templates.js';

const SENT_TTL_S = 7 * 24 * 3600;

/** Sends account emails through SMTP. Retried with backoff while the SMTP server is away. */
@Injectable()
@HandlesQueue('email')
export class EmailHandler implements JobHandler<'email'> {
  private readonly logger = new Logger('EmailHandler');

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisService,
    private readonly mailer: Mailer,
  ) {}

  async handle(job: Job<EmailJob>): Promise<JobResult> {
    // A job retried after the server accepted the message must not send it again.
    const sentKey = this.redis.key('mail-sent', job.id ?? 'none');
    if (await this.redis.client.exists(sentKey)) return 'skipped';
    const mail = renderEmail(job.data, this.config.PUBLIC_URL);
    await this.mailer.send({
      to: job.data.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'Content-Language': job.data.locale },
    });
    await this.redis.client.set(sentKey, '1', 'EX', SENT_TTL_S);
    this.logger.log(`sent ${job.data.template} email (job ${job.id})`);
    return 'done';
  }
}
