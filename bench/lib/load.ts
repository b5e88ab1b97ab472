/**
 * A bounded HTTP load generator: `concurrency` keep-alive connections (node:http Agent), each sending
 * one GET after the other for `durationMs`, cycling through `paths`. A response counts as a success
 * when its status (and body length, if given) is the expected one; everything else — another status,
 * a short body, a socket error, no answer within `timeoutMs` — is an error. Latency is measured per request, from write to last byte.
 *
 * It runs in its own process (`startLoadGenerator()`), so the load does not share a core with the
 * server under test.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { answerParent, forkChild } from './child.js';

export interface LoadOptions {
  port: number;
  paths: string[];
  concurrency: number;
  durationMs: number;
  /** Expected response; default status 200, any length. */
  expect?: { status: number; bytes?: number };
  headers?: Record<string, string>;
  /** A request without an answer for this long is abandoned as an error (default 10 s). */
  timeoutMs?: number;
}

export interface LoadResult {
  ok: number;
  errors: number;
  firstError?: string;
  seconds: number;
  /** Successful responses per second. */
  perSecond: number;
  /** Latency of the successful requests, ms. */
  p50: number;
  p99: number;
  max: number;
  /** CPU time of the load generator over wall time (near 1: the load, not the server, was the limit). */
  busy: number;
}

const quantile = (sorted: Float64Array, q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0;

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const expect = o.expect ?? { status: 200 };
  const timeoutMs = o.timeoutMs ?? 10_000;
  let latencies = new Float64Array(1 << 16);
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const succeed = (ms: number) => {
    if (ok === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[ok++] = ms;
  };

  /** One GET; settles once, with a success or the first thing that went wrong. */
  const request = (path: string) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      let settled = false;
      const settle = (error?: string) => {
        if (settled) return;
        settled = true;
        if (error === undefined) succeed(performance.now() - t0);
        else {
          errors += 1;
          firstError ??= error;
        }
        resolve();
      };
      const req = http.request(
        { host: '127.0.0.1', port: o.port, path, agent, headers: o.headers },
        (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('error', (e) => settle(e.message));
          res.on('end', () =>
            settle(
              res.statusCode !== expect.status
                ? `status ${res.statusCode} for ${path}`
                : expect.bytes !== undefined && bytes !== expect.bytes
                  ? `${bytes} bytes instead of ${expect.bytes} for ${path}`
                  : undefined,
            ),
          );
        },
      );
      req.setTimeout(timeoutMs, () => {
        if (!settled) req.destroy(new Error(`no answer in ${timeoutMs} ms for ${path}`));
      });
      req.on('error', (e) => settle(e.message));
      req.end();
    });

  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + o.durationMs;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (performance.now() < end) await request(o.paths[next++ % o.paths.length]!);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  const sorted = latencies.subarray(0, ok).sort();
  return {
    ok,
    errors,
    ...(firstError ? { firstError } : {}),
    seconds,
    perSecond: ok / seconds,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: quantile(sorted, 1),
    busy: (used.user + used.system) / 1e6 / seconds,
  };
}

export interface LoadGenerator {
  run(options: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

/** Forks a load-generator process; `run()` drives one bounded load from it. */
export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = await forkChild<'ready'>(self, ['--load-generator']);
  return { run: (options) => child.call<LoadResult>(options), close: () => child.close() };
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] === self && process.argv[2] === '--load-generator') {
  answerParent<LoadOptions, LoadResult>('ready', runLoad);
}
