import { LiveEvent } from '../contract/index.js';
import { DmApiError, errorFromResponse, isDmApiError } from './errors.js';
import { SseParser } from './sse.js';
import { backoff, rootMessage, type Transport } from './transport.js';

const OPERATION = 'live.subscribe';

/** Details of one live event besides its payload. */
export interface LiveEventMeta {
  /** The stream's last event id (what a reconnect sends as `Last-Event-ID`); `''` when none. */
  id: string;
  /** The SSE event name (`message` when the server sent none). */
  type: string;
}

/** Options for {@link DmLive.subscribe}. */
export interface LiveSubscribeOptions {
  /** Called for each event on the stream, already validated against the `LiveEvent` schema. */
  onEvent: (event: LiveEvent, meta: LiveEventMeta) => void;
  /**
   * Called for each failure. `willRetry` is true when the subscription carries on (it reconnects, or
   * skips an event that did not match the contract) and false when it has stopped for good
   * (401 after a token refresh, 403, 404, another 4xx).
   */
  onError?: (error: DmApiError, info: { willRetry: boolean }) => void;
  /** Called each time the stream is (re)connected. */
  onOpen?: () => void;
  /** Called for each comment line, which the server sends as a heartbeat. */
  onHeartbeat?: () => void;
  /** Stops the subscription when aborted (as the returned function does). */
  signal?: AbortSignal;
  /** Resume after this event id (sent as `Last-Event-ID` on the first connection). */
  lastEventId?: string;
  /**
   * Reconnect when nothing at all (not even a heartbeat) arrives for this long, in ms.
   * Default 45 000; `0` disables the check.
   */
  idleTimeout?: number;
}

/** The live-updates resource. */
export interface DmLive {
  /**
   * Reads `GET /v1/live` (server-sent events) with fetch streaming, so the token travels in the
   * `Authorization` header and never in the URL. Reconnects with backoff after the stream ends or
   * fails, sending `Last-Event-ID`; calls `getToken()` again for each connection.
   *
   * @returns a function that stops the subscription (idempotent).
   */
  subscribe(options: LiveSubscribeOptions): () => void;
}

type Outcome = { kind: 'ended' } | { kind: 'stopped' } | { kind: 'failed'; error: DmApiError };

/** Starts a live subscription; see {@link DmLive.subscribe}. */
export function subscribe(transport: Transport, options: LiveSubscribeOptions): () => void {
  const stopper = new AbortController();
  const stop = () => stopper.abort();
  const { signal: callerSignal } = options;
  if (callerSignal?.aborted) return stop;
  callerSignal?.addEventListener('abort', stop, { once: true });
  stopper.signal.addEventListener('abort', () => callerSignal?.removeEventListener('abort', stop), {
    once: true,
  });

  const state = { lastEventId: options.lastEventId ?? '', serverRetry: undefined as number | undefined };
  void run(transport, options, stopper.signal, state);
  return stop;
}

async function run(
  transport: Transport,
  options: LiveSubscribeOptions,
  stopped: AbortSignal,
  state: { lastEventId: string; serverRetry: number | undefined },
): Promise<void> {
  const { retry } = transport.config;
  let failures = 0;
  let refreshedAfter401 = false;
  while (!stopped.aborted) {
    const outcome = await connect(transport, options, stopped, state, () => {
      failures = 0;
      refreshedAfter401 = false;
    });
    if (stopped.aborted || outcome.kind === 'stopped') return;

    let wait: number;
    if (outcome.kind === 'ended') {
      wait = state.serverRetry ?? backoff(1, retry.baseDelay, retry.maxDelay);
    } else {
      const { error } = outcome;
      const refresh = error.status === 401 && transport.config.getToken !== undefined && !refreshedAfter401;
      const fatal = !refresh && isFatal(error);
      report(options, error, !fatal);
      if (fatal) return;
      if (refresh) {
        refreshedAfter401 = true;
        wait = 0;
      } else {
        failures += 1;
        wait =
          error.retryAfter !== undefined
            ? Math.min(error.retryAfter, retry.maxRetryAfter)
            : backoff(failures, state.serverRetry ?? retry.baseDelay, retry.maxDelay);
      }
    }
    if (!(await sleep(wait, stopped))) return;
  }
}

/** Errors after which reconnecting cannot help. */
function isFatal(error: DmApiError): boolean {
  // Without a status the server never answered (or getToken() failed): worth another try.
  if (error.status === undefined) return false;
  return ['auth', 'forbidden', 'not_found', 'validation', 'conflict'].includes(error.kind);
}

async function connect(
  transport: Transport,
  options: LiveSubscribeOptions,
  stopped: AbortSignal,
  state: { lastEventId: string; serverRetry: number | undefined },
  onConnected: () => void,
): Promise<Outcome> {
  const attempt = new AbortController();
  const abortAttempt = () => attempt.abort();
  stopped.addEventListener('abort', abortAttempt, { once: true });
  let timedOut = false;
  let idle = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    let token: string | undefined;
    try {
      token = await transport.token(OPERATION);
    } catch (error) {
      return { kind: 'failed', error: error as DmApiError };
    }
    if (stopped.aborted) return { kind: 'stopped' };
    const headers = transport.headers(token, 'text/event-stream');
    headers.set('cache-control', 'no-cache');
    if (state.lastEventId) headers.set('last-event-id', state.lastEventId);

    timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, transport.config.timeout);
    let response: Response;
    try {
      response = await transport.fetch(transport.url('/v1/live'), {
        method: 'GET',
        headers,
        signal: attempt.signal,
      });
    } catch (error) {
      if (stopped.aborted) return { kind: 'stopped' };
      if (timedOut) return { kind: 'failed', error: timeoutError(transport.config.timeout, error) };
      return { kind: 'failed', error: networkError(error) };
    } finally {
      clearTimeout(timer);
    }

    if (!response.ok) {
      const text = await response.text().catch(() => undefined);
      return { kind: 'failed', error: errorFromResponse(OPERATION, response, text) };
    }
    onConnected();
    options.onOpen?.();
    if (!response.body) return { kind: 'ended' };

    const reader = response.body.getReader();
    // Aborting the request does not end every stream (e.g. an injected fetch that ignores the
    // signal), so cancel the reader too.
    attempt.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), {
      once: true,
    });
    const idleTimeout = options.idleTimeout ?? 45_000;
    const arm = () => {
      if (idleTimeout <= 0) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        attempt.abort();
      }, idleTimeout);
    };
    const parser = new SseParser(
      {
        message: (message) => {
          if (stopped.aborted) return;
          state.lastEventId = message.lastEventId;
          deliver(options, message.data, { id: message.lastEventId, type: message.event });
        },
        comment: () => {
          if (!stopped.aborted) options.onHeartbeat?.();
        },
        retry: (ms) => {
          state.serverRetry = ms;
        },
      },
      state.lastEventId,
    );
    const decoder = new TextDecoder();
    arm();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arm();
        parser.feed(decoder.decode(value, { stream: true }));
        // An `id:` line without data still moves the resume point.
        state.lastEventId = parser.lastEventId;
      }
      parser.feed(decoder.decode());
    } catch (error) {
      if (stopped.aborted) return { kind: 'stopped' };
      if (idle) return { kind: 'failed', error: idleError(idleTimeout) };
      return { kind: 'failed', error: networkError(error) };
    }
    if (stopped.aborted) return { kind: 'stopped' };
    if (idle) return { kind: 'failed', error: idleError(idleTimeout) };
    return { kind: 'ended' };
  } finally {
    clearTimeout(timer);
    stopped.removeEventListener('abort', abortAttempt);
    attempt.abort();
  }
}

function deliver(options: LiveSubscribeOptions, data: string, meta: LiveEventMeta): void {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    report(options, invalidEvent(`event data is not JSON`, [], error), true);
    return;
  }
  const parsed = LiveEvent.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      path: ['event', ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    const first = fields[0];
    const detail = first ? `${first.path}: ${first.message}` : 'unexpected shape';
    report(options, invalidEvent(`event does not match the contract: ${detail}`, fields, parsed.error), true);
    return;
  }
  try {
    options.onEvent(parsed.data, meta);
  } catch (error) {
    rethrowLater(error);
  }
}

function report(options: LiveSubscribeOptions, error: DmApiError, willRetry: boolean): void {
  if (!options.onError) return;
  try {
    options.onError(error, { willRetry });
  } catch (thrown) {
    rethrowLater(thrown);
  }
}

/** A listener's exception must not end the stream; surface it as an uncaught error instead. */
function rethrowLater(error: unknown): void {
  setTimeout(() => {
    throw error;
  }, 0);
}

/** Waits `ms`; resolves false (early) when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function networkError(cause: unknown): DmApiError {
  if (isDmApiError(cause)) return cause;
  return new DmApiError({
    kind: 'network',
    message: `${OPERATION} failed: stream interrupted (${rootMessage(cause)})`,
    operation: OPERATION,
    cause,
  });
}

function timeoutError(ms: number, cause: unknown): DmApiError {
  return new DmApiError({
    kind: 'timeout',
    message: `${OPERATION} failed: no response within ${ms} ms`,
    operation: OPERATION,
    cause,
  });
}

function idleError(ms: number): DmApiError {
  return new DmApiError({
    kind: 'timeout',
    message: `${OPERATION} failed: nothing received for ${ms} ms, reconnecting`,
    operation: OPERATION,
  });
}

function invalidEvent(
  detail: string,
  fields: { path: string; message: string }[],
  cause: unknown,
): DmApiError {
  return new DmApiError({
    kind: 'invalid_response',
    message: `${OPERATION}: ${detail}`,
    operation: OPERATION,
    fields,
    cause,
  });
}
