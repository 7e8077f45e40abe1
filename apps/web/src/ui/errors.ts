import { CombinedGraphQLErrors } from '@apollo/client';

/** What the API said, in the shape a form shows: per field, and the rest. */
export interface ApiProblem {
  code?: string;
  message: string;
  /** extensions.field: `input.email` is reported as `email` too. */
  field?: string;
  /** RATE_LIMITED: seconds to wait. */
  retryAfter?: number;
}

export function problemsOf(error: unknown): ApiProblem[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error))
    return error.errors.map((e) => {
      const ext = (e.extensions ?? {}) as { code?: string; field?: string; retryAfter?: number };
      return { code: ext.code, message: e.message, field: ext.field, retryAfter: ext.retryAfter };
    });
  return [{ code: 'NETWORK', message: error instanceof Error ? error.message : 'Network error' }];
}

/** The problem about `field` (matches `input.field` and `field`). */
export function fieldProblem(problems: ApiProblem[], field: string): ApiProblem | undefined {
  return problems.find((p) => p.field === field || p.field?.split('.').at(-1) === field);
}

export function hasCode(error: unknown, code: string): boolean {
  return problemsOf(error).some((p) => p.code === code);
}
