import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ErrorBody, ErrorCode, FieldError } from '../src/contract/index.js';

/** A failure with an HTTP status and the structured body of the API's error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) },
    };
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'not allowed for this user') => new ApiError(403, 'forbidden', message);
export const invalid = (path: string, message: string) =>
  new ApiError(400, 'validation', `${path}: ${message}`, [{ path, message }]);

const TARGET_PREFIX: Record<string, string> = {
  json: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
};

/** Field errors from a zod error, paths prefixed with where the value came from (`query.limit`). */
export function zodFields(error: ZodError, target: string): FieldError[] {
  const prefix = TARGET_PREFIX[target] ?? target;
  return error.issues.map((issue) => {
    let path = [prefix, ...issue.path.map(String)].join('.');
    // An unknown key is reported on the object; name the key itself.
    if (issue.code === 'unrecognized_keys') {
      return { path: [path, ...issue.keys].join('.'), message: 'unknown field' };
    }
    if (issue.path.length === 0 && target === 'json' && issue.code === 'invalid_type') path = 'body';
    return { path, message: issue.message };
  });
}

export function validationError(error: ZodError, target: string): ApiError {
  const fields = zodFields(error, target);
  const first = fields[0];
  const message = first ? `${first.path}: ${first.message}` : 'invalid request';
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
  return new ApiError(400, 'validation', message + more, fields);
}

export function errorResponse(c: Context, err: ApiError): Response {
  const headers = err.headers ?? {};
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  // RFC 6750 §3: every 401 names the scheme to authenticate with.
  if (err.status === 401 && !Object.keys(headers).some((k) => k.toLowerCase() === 'www-authenticate')) {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
  }
  return c.json(err.toBody(), err.status);
}

/** The PostgreSQL error code (SQLSTATE) of an error or of one of its causes. */
export function pgCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
