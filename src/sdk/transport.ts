import ky, { isHTTPError, isNetworkError, isTimeoutError, type Options } from 'ky';
import type { z } from 'zod';
import { DmApiError, errorFromResponse, isDmApiError } from './errors.js';
import { joinUrl, toSearch, type QueryInit } from './url.js';

/** A `fetch`-compatible function; it may receive a `Request` object as its first argument. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> | Response;

/** Resolved transport settings (defaults applied). */
export interface TransportConfig {
  baseUrl: string;
  token?: string;
  getToken?: () => string | Promise<string>;
  locale?: string;
  fetch: FetchLike;
  timeout: number;
  retry: {
    limit: number;
    maxRetryAfter: number;
    baseDelay: number;
    maxDelay: number;
  };
}

/** One API call, described. */
export interface RequestSpec<S extends z.ZodType> {
  /** Names the call in messages, e.g. `journeys.list`. */
  operation: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Absolute API path with ids already encoded, e.g. `/v1/sends/abc`. */
  path: string;
  query?: QueryInit;
  /** A JSON body. */
  json?: unknown;
  /** A raw body with its content type (e.g. CSV). */
  body?: { data: string; contentType: string };
  headers?: Record<string, string>;
  /** The contract schema the response body must match. */
  schema: S;
  /** Marks a POST as safe to retry; sent as `Idempotency-Key`. */
  idempotencyKey?: string;
  /** Non-2xx statuses whose body is still a normal response (e.g. 503 from `/healthz`). */
  acceptStatus?: readonly number[];
  /** `false` disables retries for this call. */
  retry?: false;
}

/** Statuses worth retrying: the request did not take effect, or the server asked to come back later. */
const RETRY_STATUSES = [408, 429, 502, 503, 504];

/** Thrown by the fetch wrapper when the injected fetch itself fails (no response at all). */
class FetchFailure extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'FetchFailure';
  }
}

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  /** Callers waiting on this request that have not aborted. */
  sharers: number;
  key?: string;
}

/** An `aborted` error for `operation`. */
export function abortedError(operation: string, signal?: AbortSignal): DmApiError {
  return new DmApiError({
    kind: 'aborted',
    message: `${operation} aborted`,
    operation,
    ...(signal?.reason !== undefined ? { cause: signal.reason } : {}),
  });
}

/**
 * Exponential backoff with jitter: attempt 1 waits `base`…, attempt 2 `2·base`…, each randomized
 * to 50–100 % of its value and capped at `max`.
 */
export function backoff(attempt: number, base: number, max: number): number {
  const full = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return full / 2 + Math.random() * (full / 2);
}

/**
 * Sends API requests with ky: auth header, locale, per-attempt timeout, safe retries, response
 * validation, in-flight GET de-duplication and one token refresh on 401.
 */
export class Transport {
  readonly config: TransportConfig;
  readonly #inflight = new Map<string, Flight>();

  constructor(config: TransportConfig) {
    this.config = config;
  }

  /** The injected fetch, with failures to reach the server marked as such (aborts pass through). */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    try {
      return await this.config.fetch(input, init);
    } catch (error) {
      const aborted =
        init?.signal?.aborted === true ||
        (input instanceof Request && input.signal.aborted) ||
        (error instanceof Error && error.name === 'AbortError');
      if (aborted || isDmApiError(error)) throw error;
      throw new FetchFailure(error);
    }
  };

  /** The current token: `getToken()` when given (called every time), else the static token. */
  async token(operation: string): Promise<string | undefined> {
    const { getToken, token } = this.config;
    if (!getToken) return token;
    try {
      return await getToken();
    } catch (error) {
      throw new DmApiError({
        kind: 'auth',
        message: `${operation} failed: getToken() threw: ${error instanceof Error ? error.message : String(error)}`,
        operation,
        cause: error,
      });
    }
  }

  /** Common headers: `Accept-Language` and `Authorization`. */
  headers(token: string | undefined, accept: string): Headers {
    const headers = new Headers({ accept });
    if (this.config.locale) headers.set('accept-language', this.config.locale);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return headers;
  }

  url(path: string, query?: QueryInit): string {
    return joinUrl(this.config.baseUrl, path) + toSearch(query);
  }

  /**
   * Performs `spec` and resolves with the validated response body.
   *
   * Identical GETs (same URL, same token) share one request while it is in flight. Each caller's
   * `signal` rejects that caller's promise at once with an `aborted` error; the shared request is
   * aborted only when every caller sharing it has aborted.
   */
  async request<S extends z.ZodType>(spec: RequestSpec<S>, signal?: AbortSignal): Promise<z.output<S>> {
    const { operation } = spec;
    if (signal?.aborted) throw abortedError(operation, signal);
    const token = await raceSignal(this.token(operation), signal, operation);
    const url = this.url(spec.path, spec.query);
    const key = spec.method === 'GET' ? `${url}\n${token ?? ''}` : undefined;
    let flight = key === undefined ? undefined : this.#inflight.get(key);
    if (flight) {
      flight.sharers += 1;
    } else {
      const controller = new AbortController();
      const created: Flight = {
        controller,
        sharers: 1,
        promise: this.#execute(spec, url, token, controller.signal),
        ...(key !== undefined ? { key } : {}),
      };
      flight = created;
      if (key !== undefined) {
        this.#inflight.set(key, created);
        const evict = () => this.#evict(created);
        created.promise.then(evict, evict);
      }
    }
    return this.#join(flight, operation, signal) as Promise<z.output<S>>;
  }

  #evict(flight: Flight): void {
    if (flight.key !== undefined && this.#inflight.get(flight.key) === flight)
      this.#inflight.delete(flight.key);
  }

  #join(flight: Flight, operation: string, signal?: AbortSignal): Promise<unknown> {
    if (!signal) return flight.promise;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        flight.sharers -= 1;
        if (flight.sharers === 0) {
          this.#evict(flight);
          flight.controller.abort();
        }
        reject(abortedError(operation, signal));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  async #execute<S extends z.ZodType>(
    spec: RequestSpec<S>,
    url: string,
    token: string | undefined,
    signal: AbortSignal,
  ): Promise<z.output<S>> {
    try {
      return await this.#attempt(spec, url, token, signal);
    } catch (error) {
      // A rejected token: ask for a fresh one once and try again.
      if (isDmApiError(error) && error.status === 401 && this.config.getToken && !signal.aborted) {
        const fresh = await this.token(spec.operation);
        return this.#attempt(spec, url, fresh, signal);
      }
      throw error;
    }
  }

  async #attempt<S extends z.ZodType>(
    spec: RequestSpec<S>,
    url: string,
    token: string | undefined,
    signal: AbortSignal,
  ): Promise<z.output<S>> {
    const { operation, method } = spec;
    const { retry, timeout } = this.config;
    const headers = this.headers(token, 'application/json');
    for (const [name, value] of Object.entries(spec.headers ?? {})) headers.set(name, value);
    if (spec.idempotencyKey !== undefined) headers.set('idempotency-key', spec.idempotencyKey);

    const retryable = method === 'GET' || spec.idempotencyKey !== undefined;
    const accept = spec.acceptStatus ?? [];
    const options: Options = {
      method,
      headers,
      signal,
      timeout,
      fetch: this.fetch,
      throwHttpErrors: (status) => !accept.includes(status),
      retry: {
        limit: retryable && spec.retry !== false ? retry.limit : 0,
        methods: [method.toLowerCase()],
        statusCodes: RETRY_STATUSES,
        afterStatusCodes: RETRY_STATUSES,
        maxRetryAfter: retry.maxRetryAfter,
        delay: (attempt) => backoff(attempt, retry.baseDelay, retry.maxDelay),
        retryOnTimeout: false,
        // Never retry once aborted; any failure to reach the server counts as a network error.
        shouldRetry: ({ error }) =>
          signal.aborted ? false : error instanceof FetchFailure ? true : undefined,
      },
    };
    if (spec.json !== undefined) options.json = spec.json;
    if (spec.body !== undefined) {
      options.body = spec.body.data;
      headers.set('content-type', spec.body.contentType);
    }

    let text: string;
    let response: Response;
    try {
      const pending = ky(url, options);
      text = await pending.text();
      response = await pending;
    } catch (error) {
      throw this.#toError(error, operation, signal);
    }

    const where = `${method} ${spec.path}`;
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch (error) {
      throw invalidResponse(operation, `the response from ${where} is not JSON`, response, [], error);
    }
    const parsed = spec.schema.safeParse(data);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => ({
        path: ['response', ...issue.path.map(String)].join('.'),
        message: issue.message,
      }));
      const first = fields[0];
      const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : '';
      const detail = first ? `${first.path}: ${first.message}${more}` : 'unexpected shape';
      throw invalidResponse(
        operation,
        `the response from ${where} does not match the contract: ${detail}`,
        response,
        fields,
        parsed.error,
      );
    }
    return parsed.data;
  }

  #toError(error: unknown, operation: string, signal: AbortSignal): DmApiError {
    if (isDmApiError(error)) return error;
    if (signal.aborted) return abortedError(operation, signal);
    if (isHTTPError(error)) return errorFromResponse(operation, error.response, error.data);
    if (isTimeoutError(error)) {
      return new DmApiError({
        kind: 'timeout',
        message: `${operation} failed: no response within ${this.config.timeout} ms`,
        operation,
        cause: error,
      });
    }
    if (error instanceof FetchFailure || isNetworkError(error)) {
      return new DmApiError({
        kind: 'network',
        message: `${operation} failed: could not reach the server (${rootMessage(error)})`,
        operation,
        cause: error,
      });
    }
    if (error instanceof Error && error.name === 'AbortError') return abortedError(operation);
    return new DmApiError({
      kind: 'network',
      message: `${operation} failed: ${error instanceof Error ? error.message : String(error)}`,
      operation,
      cause: error,
    });
  }
}

/** The message of the innermost `cause` (undici: `fetch failed` → `connect ECONNREFUSED …`). */
export function rootMessage(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 10 && current instanceof Error && current.cause !== undefined; depth += 1) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}

function invalidResponse(
  operation: string,
  detail: string,
  response: Response,
  fields: { path: string; message: string }[],
  cause: unknown,
): DmApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  return new DmApiError({
    kind: 'invalid_response',
    message: `${operation} failed: ${detail}`,
    operation,
    status: response.status,
    fields,
    cause,
    ...(requestId !== undefined ? { requestId } : {}),
  });
}

/** Resolves with `promise`, or rejects with an `aborted` error as soon as `signal` fires. */
export function raceSignal<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(operation, signal));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
