import { HttpException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { AppError, badInput } from '@ruche/common';
import { INTROSPECTION_OFF } from './limits.plugin.js';

/** First failing constraint, named by its path: `quietHours.start`. */
function firstProblem(
  errors: ValidationError[],
  path: string[] = [],
): { field: string; message: string } | null {
  for (const error of errors) {
    const here = [...path, error.property];
    if (error.constraints) {
      return { field: here.join('.'), message: Object.values(error.constraints)[0] };
    }
    const nested = firstProblem(error.children ?? [], here);
    if (nested) return nested;
  }
  return null;
}

/** Validates every resolver argument; a failure is BAD_USER_INPUT naming the field. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  transform: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const problem = firstProblem(errors) ?? { field: 'input', message: 'Invalid input' };
    return badInput(problem.field, problem.message);
  },
});

/** Codes Apollo and graphql-js give to the client's own mistakes: shown as they are. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'BAD_USER_INPUT',
  429: 'RATE_LIMITED',
};

/**
 * What the client sees of an error: our own errors and the client's mistakes as they are; anything
 * else becomes INTERNAL_SERVER_ERROR with no stack, SQL or path, and is logged in full.
 */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    const base = {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
    };
    // Apollo's own refusal when `introspection` is off (GRAPHQL_INTROSPECTION=false).
    if (formatted.extensions?.validationErrorCode === 'INTROSPECTION_DISABLED') {
      return { ...base, message: INTROSPECTION_OFF, extensions: { code: 'FORBIDDEN' } };
    }
    if (original instanceof AppError) {
      return { ...base, message: original.message, extensions: { ...original.extensions } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const field = formatted.extensions?.field;
      return { ...base, extensions: typeof field === 'string' ? { code, field } : { code } };
    }
    if (original instanceof HttpException && HTTP_CODES[original.getStatus()]) {
      return {
        ...base,
        message: original.message,
        extensions: { code: HTTP_CODES[original.getStatus()] },
      };
    }
    logger.error(
      { err: original, path: formatted.path },
      'unexpected error in a GraphQL operation',
    );
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
