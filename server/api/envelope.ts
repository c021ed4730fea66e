// The Quantum Payouts response envelope: {"result": {"error": "0" | CODE, "message": null | text}, ...}.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';

export type ApiErrorCode =
  | 'VALIDATION_ERROR'
  | 'UNAUTHORIZED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'METHOD_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'NOT_IMPLEMENTED'
  | 'INTERNAL_ERROR'
  /** A portal user not linked to any merchant (webhook_save, webhook_test). */
  | 'NO_COMPANY';

const HTTP: Record<ApiErrorCode, ContentfulStatusCode> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  METHOD_NOT_ALLOWED: 405,
  RATE_LIMITED: 429,
  NOT_IMPLEMENTED: 501,
  INTERNAL_ERROR: 500,
  NO_COMPANY: 403,
};

export function ok<T extends object>(c: Context, body: T, status: ContentfulStatusCode = 200) {
  return c.json({ result: { error: '0', message: null }, ...body }, status);
}

export function fail(c: Context, code: ApiErrorCode, message: string) {
  return c.json({ result: { error: code, message } }, HTTP[code]);
}

/** "urls.returnUrl is required; amount must be positive": every wrong field, named. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const parts = issues.map((issue) => {
    const path = v.getDotPath(issue) ?? 'body';
    if (issue.kind === 'schema' && issue.input === undefined) return `${path} is required`;
    if (issue.kind === 'schema' && issue.expected === 'never') return `${path} is not a known field`;
    return `${path} ${issue.message}`;
  });
  return [...new Set(parts)].join('; ');
}
