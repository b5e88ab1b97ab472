import type { Db } from '../../../server/db/types.js';
import { eventWriterFor } from '../../../server/domain/engagement-writer.js';

/** What the in-process test harnesses return for a call. */
export interface AppResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON for a JSON answer, otherwise the text. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Calls a Hono app in-process: a non-string body is sent as JSON. Returns once the answer is read and
 * the engagement events the request queued are written (tracking routes answer before writing them).
 */
export async function requestApp(
  app: { request(path: string, init: RequestInit): Response | Promise<Response> },
  db: Db,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<AppResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  const res = await app.request(path, { method, headers, body });
  const text = await res.text();
  await eventWriterFor(db).flush();
  const json = (res.headers.get('content-type') ?? '').includes('json') && text;
  return { status: res.status, headers: res.headers, text, body: json ? JSON.parse(text) : text };
}
