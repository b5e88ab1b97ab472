/**
 * States that are not data, as wrappers around the page's server (see `story-server.ts`): latency, a
 * request that never answers, a failing server, a dropped network. Combine them with {@link only} to
 * change just some requests and with {@link chain} to apply several.
 */
import { toRequest, type FetchWrapper } from './story-server.js';

/** Resolves after `ms`, or rejects as fetch does when `signal` aborts first. */
function wait(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(new DOMException('The request was aborted.', 'AbortError'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });
}

/** Every answer arrives `ms` later. */
export const delay =
  (ms: number): FetchWrapper =>
  (next) =>
  async (input, init) => {
    const request = toRequest(input, init);
    await wait(ms, request.signal);
    return next(request);
  };

/** No answer ever arrives (until the caller aborts). */
export const never = (): FetchWrapper => () => async (input, init) => {
  await wait(2 ** 31 - 1, toRequest(input, init).signal);
  throw new Error('unreachable');
};

/** The server fails with `status` and the API's error body, as a gateway in front of it would. */
export const failWith =
  (status: number): FetchWrapper =>
  () =>
  async () =>
    new Response(JSON.stringify({ error: { code: 'server', message: `The service answered ${status}` } }), {
      status,
      headers: { 'content-type': 'application/json' },
    });

/** The network drops: fetch rejects as a browser's does offline. */
export const offline = (): FetchWrapper => () => async () => {
  throw new TypeError('Failed to fetch');
};

/** Applies `wrapper` to requests whose method is `method` and whose path matches `path`; others pass. */
export const only =
  (method: string, path: RegExp, wrapper: FetchWrapper): FetchWrapper =>
  (next) => {
    const wrapped = wrapper(next);
    return (input, init) => {
      const request = toRequest(input, init);
      const hit = request.method === method && path.test(new URL(request.url).pathname);
      return (hit ? wrapped : next)(request);
    };
  };

/** Applies `wrappers` in order, the first outermost. */
export const chain =
  (...wrappers: FetchWrapper[]): FetchWrapper =>
  (next) =>
    wrappers.reduceRight((inner, wrapper) => wrapper(inner), next);
