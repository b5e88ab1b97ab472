import type { FetchLike } from '../../../src/sdk/index.js';

/** What a stub fetch saw for one call. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  signal: AbortSignal;
}

/** A fetch that hands each call to `handler` and records it. */
export function stubFetch(handler: (request: SeenRequest, index: number) => Response | Promise<Response>) {
  const calls: SeenRequest[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const seen: SeenRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: request.body ? await request.text() : '',
      signal: request.signal,
    };
    calls.push(seen);
    return handler(seen, calls.length - 1);
  };
  return { fetch, calls };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The server's error body. */
export function apiError(
  status: number,
  code: string,
  message: string,
  fields?: { path: string; message: string }[],
  headers: Record<string, string> = {},
): Response {
  return json({ error: { code, message, ...(fields ? { fields } : {}) } }, status, headers);
}

/** A response that never arrives until the request is aborted (then rejects like fetch does). */
export function hang(request: SeenRequest): Promise<Response> {
  return new Promise((_resolve, reject) => {
    const fail = () => reject(new DOMException('This operation was aborted', 'AbortError'));
    if (request.signal.aborted) fail();
    request.signal.addEventListener('abort', fail, { once: true });
  });
}

/** A promise with its settle functions. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves once `condition()` holds; fails after `timeout` ms. Polls on each turn of the event loop. */
export async function waitUntil(
  condition: () => boolean,
  message = 'condition',
  timeout = 3000,
): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeout) throw new Error(`timed out waiting for ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Lets pending promise callbacks and I/O run (several event-loop turns; not a timer). */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Rejects-with helper: the rejection reason of `promise` (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** A valid `Me` body. */
export const ME = {
  user: { id: 'u_jana', name: 'Jana Weber', email: 'jana@nordlicht.example', role: 'partner' },
  brand: { id: 'brand_aurora', name: 'Aurora Motors', domain: 'aurora-motors.example' },
  partner: { id: 'partner_north', name: 'Nordlicht Autohaus', tier: 'gold', region: 'north' },
};

/** A valid `Send` body. */
export const SEND = {
  id: 'send_1',
  kind: 'quick',
  journeyId: 'j_welcome',
  journeyName: 'Welcome',
  partnerId: 'partner_north',
  createdBy: 'u_jana',
  status: 'scheduled',
  recipientCount: 2,
  createdAt: '2026-11-27T12:00:00.000Z',
  scheduledAt: null,
};

/** An empty page. */
export const EMPTY_PAGE = { items: [], nextCursor: null, total: 0 };

/**
 * Runs `call(signal)` and fails if it takes longer than `ms` (so a regression fails instead of hanging);
 * the signal is aborted afterwards either way, which cancels any retry wait still pending.
 */
export async function within<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      call(controller.signal),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`took longer than ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
