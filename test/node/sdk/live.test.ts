import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import {
  createClient,
  type ClientOptions,
  type DmApiError,
  type LiveEvent,
  type LiveEventMeta,
  type LiveSubscribeOptions,
} from '../../../src/sdk/index.js';
import { apiError, flush, stubFetch, type SeenRequest } from './helpers.js';

const AT = '2026-11-27T12:00:00.000Z';
const encoder = new TextEncoder();

/** One connection to the stub `/v1/live`: push text or bytes, end or break the stream. */
interface Connection {
  request: SeenRequest;
  cancelled: boolean;
  push(text: string | Uint8Array): void;
  end(): void;
  fail(error: unknown): void;
}

/**
 * A stub server for `/v1/live`. `respond` may answer a connection with an error response; otherwise
 * the connection streams whatever the test pushes.
 */
function liveServer(respond?: (request: SeenRequest, index: number) => Response | undefined) {
  const connections: Connection[] = [];
  const { fetch, calls } = stubFetch((request, index) => {
    const answer = respond?.(request, index);
    if (answer) return answer;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const connection: Connection = {
      request,
      cancelled: false,
      push: (chunk) => controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk),
      end: () => controller.close(),
      fail: (error) => controller.error(error),
    };
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => {
        connection.cancelled = true;
      },
    });
    connections.push(connection);
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  });
  return { fetch, calls, connections };
}

/** Subscribes with recording callbacks; timers are mocked, so reconnect waits advance only on `tick`. */
function start(
  t: TestContext,
  server: ReturnType<typeof liveServer>,
  options: Partial<LiveSubscribeOptions> = {},
  client: Partial<ClientOptions> = {},
) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const events: { event: LiveEvent; meta: LiveEventMeta }[] = [];
  const errors: { error: DmApiError; willRetry: boolean }[] = [];
  let opened = 0;
  let heartbeats = 0;
  const dm = createClient({
    baseUrl: 'http://dm.test',
    token: 'tok',
    locale: 'en',
    fetch: server.fetch,
    retry: { baseDelay: 1000, maxDelay: 8000, maxRetryAfter: 50 },
    ...client,
  });
  const stop = dm.live.subscribe({
    onEvent: (event, meta) => events.push({ event, meta }),
    onError: (error, info) => errors.push({ error, willRetry: info.willRetry }),
    onOpen: () => (opened += 1),
    onHeartbeat: () => (heartbeats += 1),
    ...options,
  });
  return {
    stop,
    events,
    errors,
    opened: () => opened,
    heartbeats: () => heartbeats,
    tick: async (ms: number) => {
      t.mock.timers.tick(ms);
      await flush();
    },
  };
}

const sendEvent = (sendId: string, status: string) => ({ type: 'send', at: AT, sendId, status });
const frame = (id: string, data: unknown, event = 'send') =>
  `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

describe('sdk: live.subscribe', () => {
  it('parses a chunked stream, counts heartbeats and reconnects with Last-Event-ID after it ends', async (t) => {
    const server = liveServer();
    const live = start(t, server);
    await flush();
    assert.equal(server.connections.length, 1);
    const first = server.connections[0]!;
    assert.equal(first.request.url.pathname, '/v1/live');
    assert.equal(first.request.headers.get('accept'), 'text/event-stream');
    assert.equal(first.request.headers.get('authorization'), 'Bearer tok');
    assert.equal(first.request.headers.get('accept-language'), 'en');
    assert.equal(first.request.headers.get('last-event-id'), null);
    assert.equal(live.opened(), 1);

    // Three frames, CR LF line ends, a multi-byte character, cut into 5-byte chunks (mid-frame,
    // mid-line, between CR and LF, inside the UTF-8 sequence).
    const text =
      ': heartbeat\r\n\r\n' +
      frame('1', sendEvent('s1', 'scheduled')).replaceAll('\n', '\r\n') +
      frame('2', { type: 'approval', at: AT, approvalId: 'ap_1', status: 'genehmigt ✓' }, 'approval') +
      ': heartbeat\n\n' +
      frame('3', sendEvent('s1', 'sent'));
    const bytes = encoder.encode(text);
    for (let i = 0; i < bytes.length; i += 5) first.push(bytes.slice(i, i + 5));
    await flush();

    assert.deepEqual(
      live.events.map((e) => e.event),
      [
        sendEvent('s1', 'scheduled'),
        { type: 'approval', at: AT, approvalId: 'ap_1', status: 'genehmigt ✓' },
        sendEvent('s1', 'sent'),
      ],
    );
    assert.deepEqual(
      live.events.map((e) => e.meta),
      [
        { id: '1', type: 'send' },
        { id: '2', type: 'approval' },
        { id: '3', type: 'send' },
      ],
    );
    assert.equal(live.heartbeats(), 2);
    assert.deepEqual(live.errors, []);

    first.end();
    await flush();
    assert.equal(server.connections.length, 1, 'waits before reconnecting');
    await live.tick(1000);
    assert.equal(server.connections.length, 2);
    const second = server.connections[1]!;
    assert.equal(second.request.headers.get('last-event-id'), '3');
    assert.equal(live.opened(), 2);
    assert.deepEqual(live.errors, [], 'a stream that ends is not an error');

    second.push(frame('4', sendEvent('s2', 'sending')));
    await flush();
    assert.equal(live.events.length, 4);

    live.stop();
    await flush();
    assert.equal(second.cancelled, true, 'unsubscribing cancels the stream');
    await live.tick(60_000);
    assert.equal(server.connections.length, 2, 'no reconnect after unsubscribing');
    assert.equal(live.events.length, 4);
  });

  it('sends the given lastEventId first, follows id-only frames and the server retry field', async (t) => {
    const server = liveServer();
    const live = start(t, server, { lastEventId: '41' });
    await flush();
    assert.equal(server.connections[0]!.request.headers.get('last-event-id'), '41');
    server.connections[0]!.push('retry: 5000\nid: 42\n\n');
    server.connections[0]!.end();
    await flush();
    await live.tick(4999);
    assert.equal(server.connections.length, 1);
    await live.tick(1);
    assert.equal(server.connections.length, 2);
    assert.equal(server.connections[1]!.request.headers.get('last-event-id'), '42');
    live.stop();
  });

  it('reports an event that does not match the contract and keeps the stream', async (t) => {
    const server = liveServer();
    const live = start(t, server);
    await flush();
    const connection = server.connections[0]!;
    connection.push(frame('1', { type: 'send', at: 'yesterday', sendId: 's1', status: 'sent' }));
    connection.push('id: 2\ndata: not json\n\n');
    connection.push(frame('3', sendEvent('s1', 'sent')));
    await flush();
    assert.equal(live.errors.length, 2);
    assert.equal(live.errors[0]!.error.kind, 'invalid_response');
    assert.equal(live.errors[0]!.willRetry, true);
    assert.equal(live.errors[0]!.error.fields[0]?.path, 'event.at');
    assert.match(live.errors[1]!.error.message, /not JSON/);
    assert.deepEqual(
      live.events.map((e) => e.meta.id),
      ['3'],
    );
    assert.equal(server.connections.length, 1);
    live.stop();
  });

  it('reconnects after the stream breaks, with backoff and Last-Event-ID', async (t) => {
    const server = liveServer();
    const live = start(t, server);
    await flush();
    server.connections[0]!.push(frame('7', sendEvent('s1', 'sent')));
    server.connections[0]!.fail(new TypeError('terminated'));
    await flush();
    assert.equal(live.errors.length, 1);
    assert.equal(live.errors[0]!.error.kind, 'network');
    assert.equal(live.errors[0]!.willRetry, true);
    await live.tick(1000);
    assert.equal(server.connections.length, 2);
    assert.equal(server.connections[1]!.request.headers.get('last-event-id'), '7');
    live.stop();
  });

  it('honours Retry-After (capped) on 503 and keeps trying', async (t) => {
    const server = liveServer((_r, i) =>
      i === 0 ? apiError(503, 'server', 'starting', undefined, { 'retry-after': '2' }) : undefined,
    );
    const live = start(t, server);
    await flush();
    assert.equal(server.calls.length, 1);
    assert.equal(live.errors[0]?.error.kind, 'server');
    assert.equal(live.errors[0]?.willRetry, true);
    await live.tick(49);
    assert.equal(server.calls.length, 1);
    await live.tick(1);
    assert.equal(server.calls.length, 2, 'reconnects at the 50 ms cap, not after 2 s');
    assert.equal(live.opened(), 1);
    live.stop();
  });

  it('refreshes the token once after a 401', async (t) => {
    let asked = 0;
    const server = liveServer((request) =>
      request.headers.get('authorization') === 'Bearer t1' ? apiError(401, 'auth', 'expired') : undefined,
    );
    const live = start(t, server, {}, { token: undefined, getToken: () => `t${++asked}` });
    await flush();
    await live.tick(1);
    assert.equal(asked, 2);
    assert.deepEqual(
      server.calls.map((c) => c.headers.get('authorization')),
      ['Bearer t1', 'Bearer t2'],
    );
    assert.equal(live.errors[0]?.error.kind, 'auth');
    assert.equal(live.errors[0]?.willRetry, true);
    assert.equal(live.opened(), 1);
    live.stop();
  });

  it('stops for good on 403', async (t) => {
    const server = liveServer(() => apiError(403, 'forbidden', 'not allowed for this user'));
    const live = start(t, server);
    await flush();
    assert.equal(live.errors.length, 1);
    assert.equal(live.errors[0]!.error.kind, 'forbidden');
    assert.equal(live.errors[0]!.willRetry, false);
    assert.match(live.errors[0]!.error.message, /^live\.subscribe failed: not allowed for this user$/);
    await live.tick(60_000);
    assert.equal(server.calls.length, 1);
  });

  it('reconnects when nothing arrives for idleTimeout; heartbeats keep the stream alive', async (t) => {
    const server = liveServer();
    const live = start(t, server, { idleTimeout: 1000 });
    await flush();
    await live.tick(999);
    server.connections[0]!.push(': ping\n');
    await flush();
    await live.tick(999);
    assert.equal(live.errors.length, 0);
    assert.equal(server.connections[0]!.cancelled, false);
    await live.tick(1);
    assert.equal(live.errors[0]?.error.kind, 'timeout');
    assert.equal(live.errors[0]?.willRetry, true);
    assert.equal(server.connections[0]!.cancelled, true);
    await live.tick(1000);
    assert.equal(server.connections.length, 2);
    live.stop();
  });

  it('stops when the caller signal aborts; an aborted signal never connects', async (t) => {
    const server = liveServer();
    const controller = new AbortController();
    const live = start(t, server, { signal: controller.signal });
    await flush();
    controller.abort();
    await flush();
    assert.equal(server.connections[0]!.cancelled, true);
    await live.tick(60_000);
    assert.equal(server.connections.length, 1);

    const again = liveServer();
    const dm = createClient({ baseUrl: 'http://dm.test', fetch: again.fetch });
    const stop = dm.live.subscribe({ onEvent: () => undefined, signal: AbortSignal.abort() });
    await flush();
    assert.equal(again.calls.length, 0);
    stop();
  });
});
