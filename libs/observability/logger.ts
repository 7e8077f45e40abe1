import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Global, Injectable, Module, type LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { AppConfig } from '@ruche/config';

/**
 * The process's JSON logger (pino), secrets redacted. One instance per process, no request-scoped
 * storage: nestjs-pino kept the request's logger in an AsyncLocalStorage, whose promise hooks cost
 * about a millisecond of CPU per home-feed request (every promise of every resolver paid for them).
 * A request's lines carry its id through `req.log` (pino-http) and `RequestContext.requestId`.
 */
@Injectable()
export class RucheLogger implements LoggerService {
  readonly pino: Logger;
  /** The HTTP middleware: a request id (X-Request-Id when sane, else new) and one line per response. */
  readonly http: HttpLogger;

  constructor(config: AppConfig) {
    this.pino = pino({
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    });
    this.http = pinoHttp({
      logger: this.pino,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
    });
  }

  // Nest's LoggerService: the framework's own lines (and `new Logger(context)` in services).
  log(message: unknown, context?: string): void {
    this.pino.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.pino.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.pino.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.pino.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.pino.trace({ context }, String(message));
  }
}

@Global()
@Module({ providers: [RucheLogger], exports: [RucheLogger] })
export class RucheLoggerModule {}
