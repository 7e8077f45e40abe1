import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { AppError, type ErrorCode } from '@ruche/common';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  CHARTER_REQUIRED: 403,
};

/**
 * GraphQL errors go to Apollo's formatError (which logs the unexpected ones). On HTTP routes our
 * own errors become their status with `{ statusCode, code, message, field? }`; Nest's HTTP
 * exceptions keep theirs; anything else is a 500 without detail, logged by Nest.
 */
@Catch()
export class ErrorsFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof AppError && !res.headersSent) {
      const { code, field, retryAfter } = exception.extensions as {
        code: ErrorCode;
        field?: string;
        retryAfter?: number;
      };
      const own = (exception as AppError & { status?: unknown }).status;
      const status = typeof own === 'number' ? own : (HTTP_STATUS[code] ?? 500);
      if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
      res.status(status).json({
        statusCode: status,
        code,
        message: exception.message,
        ...(field ? { field } : {}),
      });
      return;
    }
    if (res.headersSent) {
      // A download failed mid-stream: the client sees a cut connection, never a half file as whole.
      res.destroy();
      return;
    }
    return super.catch(exception, host);
  }
}
