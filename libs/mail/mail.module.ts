import { Module } from '@nestjs/common';
import { EmailHandler } from './email.handler.js';

@Module({ providers: [EmailHandler], exports: [EmailHandler] })
export class MailModule {}
