import { Module } from '@nestjs/common';
import { EmailHandler } from './email.handler.js';
import { Mailer } from './mailer.js';

@Module({ providers: [Mailer, EmailHandler], exports: [Mailer] })
export class MailModule {}
