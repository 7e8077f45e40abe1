import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'CHARTER_REQUIRED'
  | 'INTERNAL_SERVER_ERROR';

/**
 * An error the client may see. Its message is meant for people; `code` and `field` for programs.
 * Everything that is not an AppError reaches the client as INTERNAL_SERVER_ERROR, without detail.
 */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { field?: string; retryAfter?: number } = {},
  ) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const notFound = (what = 'Not found') => new AppError('NOT_FOUND', what);
export const forbidden = (what = 'Forbidden') => new AppError('FORBIDDEN', what);
export const unauthenticated = (what = 'Sign in first') => new AppError('UNAUTHENTICATED', what);
export const badInput = (field: string, message: string) =>
  new AppError('BAD_USER_INPUT', message, { field });
export const conflict = (field: string, message: string) =>
  new AppError('CONFLICT', message, { field });
export const charterRequired = () =>
  new AppError(
    'CHARTER_REQUIRED',
    'Accept the network charter first (query charter, then acceptCharter(version))',
  );
export const rateLimited = (retryAfter: number) =>
  new AppError('RATE_LIMITED', `Too many attempts; try again in ${retryAfter} s`, { retryAfter });
