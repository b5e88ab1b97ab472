/**
 * `GET /v1/live`: server-sent events for the caller — engagement events of the partners it may see,
 * send and approval changes. Read with fetch streaming (the token travels in the header).
 *
 * Frames: `id: <epoch>.<seq>`, `event: <type>`, `data: <LiveEvent JSON>`. The stream opens with
 * `retry:` and a comment, then sends a `: heartbeat` comment every 15 s (see `configureLive`). With
 * `Last-Event-ID` the missed events still in the server's buffer are replayed first; when some are
 * gone, a `resync` event tells the client to refetch.
 */
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { LiveEvent } from '../../src/contract/index.js';
import { liveBusFor, visibleTo, type LiveEntry } from '../domain/live-bus.js';
import type { App } from '../env.js';
import { errorResponses } from './shared.js';

const route = createRoute({
  method: 'get',
  path: '/v1/live',
  tags: ['live'],
  summary: 'Live events (server-sent events)',
  description:
    'A `text/event-stream` of `LiveEvent`s the caller may see (partners: their own partner only), each with ' +
    'an `id:`. Heartbeat comments every 15 s. Reconnect with `Last-Event-ID` to receive what was missed; a ' +
    '`resync` event means some of it is gone and what is shown should be refetched.',
  request: {
    headers: z.object({
      'last-event-id': z.string().max(64).optional().meta({ description: 'Resume after this event id' }),
    }),
  },
  responses: {
    200: {
      description: 'The event stream',
      content: { 'text/event-stream': { schema: LiveEvent } },
    },
    ...errorResponses,
  },
});

const encoder = new TextEncoder();

const frame = (entry: LiveEntry) =>
  `id: ${entry.id}\nevent: ${entry.message.event.type}\ndata: ${JSON.stringify(entry.message.event)}\n\n`;

export function registerLive(app: App) {
  app.openapi(route, (c) => {
    const { db, clock } = c.get('deps');
    const caller = c.get('caller');
    const audience = { brandId: caller.brand.id, partnerId: caller.partner?.id ?? null };
    const bus = liveBusFor(db);
    const { heartbeatMs, retryMs, maxQueuedFrames } = bus.options;
    const lastEventId = c.req.header('last-event-id') ?? '';
    const signal = c.req.raw.signal;

    let stop = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let closed = false;
        let unsubscribe = () => {};
        const heartbeat: { timer?: ReturnType<typeof setInterval> } = {};
        stop = () => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(heartbeat.timer);
          signal.removeEventListener('abort', stop);
        };
        const send = (text: string) => {
          if (closed) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop();
            return;
          }
          // A client that stopped reading: close; it resumes from its Last-Event-ID on reconnect.
          if ((controller.desiredSize ?? 0) < -maxQueuedFrames) {
            stop();
            try {
              controller.close();
            } catch {
              // Already closed.
            }
          }
        };
        // start() runs synchronously, so nothing is published between the replay and the subscription.
        send(`retry: ${retryMs}\n: connected\n\n`);
        const { entries, complete } = bus.since(lastEventId);
        if (!complete) {
          // The id names where the client is now, so its next reconnect does not resync again.
          const id = bus.lastId;
          const event = JSON.stringify({ type: 'resync', at: clock().toISOString() });
          send(`${id ? `id: ${id}\n` : ''}event: resync\ndata: ${event}\n\n`);
        }
        for (const entry of complete ? entries : []) {
          if (visibleTo(audience, entry.message)) send(frame(entry));
        }
        unsubscribe = bus.subscribe(
          (entry) => {
            if (visibleTo(audience, entry.message)) send(frame(entry));
          },
          () => {
            stop();
            try {
              controller.close();
            } catch {
              // Already closed.
            }
          },
        );
        if (!closed) heartbeat.timer = setInterval(() => send(': heartbeat\n\n'), heartbeatMs);
        signal.addEventListener('abort', stop, { once: true });
        if (signal.aborted) stop();
      },
      cancel() {
        stop();
      },
    });

    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      },
    }) as never;
  });
}
