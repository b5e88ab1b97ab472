import { ErrorBody, type FieldError } from '../contract/index.js';

/**
 * What went wrong, coarse enough to branch on in UI code.
 *
 * - `validation`: the server rejected the request (400/422); `fields` names each offending field.
 * - `auth`: missing, invalid or expired token (401).
 * - `forbidden`: authenticated but not allowed (403).
 * - `not_found`: 404.
 * - `conflict`: 409 or 412 (idempotency clash, stale `If-Match` version).
 * - `rate_limited`: 429; `retryAfter` says how long the server asked to wait.
 * - `server`: 5xx.
 * - `network`: no response (connection refused or reset, DNS, offline).
 * - `timeout`: no response within the client's `timeout`.
 * - `aborted`: the caller's `AbortSignal` fired.
 * - `invalid_response`: the server answered 2xx with a body that does not match the contract.
 */
export type DmApiErrorKind =
  | 'validation'
  | 'auth'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'invalid_response';

/** Everything a {@link DmApiError} carries besides its message. */
export interface DmApiErrorInit {
  kind: DmApiErrorKind;
  message: string;
  /** The operation that failed, e.g. `journeys.list`. */
  operation?: string;
  status?: number;
  /** The server's `error.code`, when it sent the structured error body. */
  code?: string;
  fields?: FieldError[];
  /** Milliseconds the server asked to wait (`Retry-After`). */
  retryAfter?: number;
  requestId?: string;
  cause?: unknown;
}

const BRAND = Symbol.for('dm-kit.DmApiError');

/**
 * The one error type the SDK throws (and passes to `onError`). Branch on `kind`; show `message`;
 * map `fields` onto form controls.
 *
 * Use {@link isDmApiError} rather than `instanceof` when the SDK may be bundled more than once
 * (a host page with two copies of DM Kit); `instanceof` also works across copies because the
 * class checks a global brand.
 */
export class DmApiError extends Error {
  /** What went wrong; see {@link DmApiErrorKind}. */
  readonly kind: DmApiErrorKind;
  /** The operation that failed, e.g. `journeys.list`. */
  readonly operation?: string;
  /** HTTP status, when a response was received. */
  readonly status?: number;
  /** The server's `error.code` from the structured error body. */
  readonly code?: string;
  /** Field-level errors (`path` like `body.email` or `query.limit`); empty when there are none. */
  readonly fields: FieldError[];
  /** Milliseconds the server asked to wait before retrying (from `Retry-After`). */
  readonly retryAfter?: number;
  /** The server's request id (`X-Request-Id`), for support. */
  readonly requestId?: string;

  constructor(init: DmApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DmApiError';
    Object.defineProperty(this, BRAND, { value: true });
    this.kind = init.kind;
    this.fields = init.fields ?? [];
    if (init.operation !== undefined) this.operation = init.operation;
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
    if (init.retryAfter !== undefined) this.retryAfter = init.retryAfter;
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isDmApiError(value);
  }
}

/** True for a {@link DmApiError} from any copy of the SDK (checks a global brand, not the prototype). */
export function isDmApiError(value: unknown): value is DmApiError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** The kind for an HTTP error status. */
export function kindForStatus(status: number, code?: string): DmApiErrorKind {
  if (status === 400 || status === 422) return 'validation';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  // Another 4xx: trust the server's code when it is one we know, else treat it as a rejected request.
  const known: readonly string[] = [
    'validation',
    'auth',
    'forbidden',
    'not_found',
    'conflict',
    'rate_limited',
  ];
  return code !== undefined && known.includes(code) ? (code as DmApiErrorKind) : 'validation';
}

/** `Retry-After` (delay seconds or an HTTP date) in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A {@link DmApiError} for a non-2xx response. `data` is the already-read body: parsed JSON, text or
 * undefined; the server's `{ error: { code, message, fields } }` is used when it is there.
 */
export function errorFromResponse(operation: string, response: Response, data: unknown): DmApiError {
  const { status } = response;
  const parsed = ErrorBody.safeParse(typeof data === 'string' ? tryJson(data) : data);
  const body = parsed.success ? parsed.data.error : undefined;
  const kind = kindForStatus(status, body?.code);
  const detail = body?.message ?? describeBody(status, response.statusText, data);
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const requestId = response.headers.get('x-request-id') ?? undefined;
  return new DmApiError({
    kind,
    message: `${operation} failed: ${detail}`,
    operation,
    status,
    ...(body ? { code: body.code } : {}),
    fields: body?.fields ?? [],
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  });
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeBody(status: number, statusText: string, data: unknown): string {
  const head = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (typeof data === 'string' && data.trim() !== '') {
    const text = data.trim().replace(/\s+/g, ' ');
    return `${head}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
  }
  return head;
}
