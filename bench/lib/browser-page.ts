/**
 * The harness of the browser benchmarks: a page module (e.g. `bench/showroom/page.ts`, which exports
 * `install()`) is bundled with Vite into a temp directory, served from a local server and opened in
 * Debian's Chromium (the flags of `chromium.config.mjs`), one fresh page per measured run.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../../chromium.config.mjs';

export interface PageSpec {
  /** Absolute path of the page module; it must export `install()`, which sets the page up. */
  module: string;
  /** Prefix of the temp directory, e.g. `dm-showroom-bench-`. */
  prefix: string;
  /** The document title. */
  title: string;
  /** Files served beside the page (e.g. prepared API answers), by path relative to its root. */
  files?: Record<string, string | Uint8Array>;
}

/** Bundles the page into a new temp directory (the bundle is in its `dist`). */
export async function bundle(spec: PageSpec): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), spec.prefix));
  await writeFile(
    path.join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${spec.title}</title><link rel="icon" href="data:,"></head>` +
      `<body><div id="host"></div><script type="module" src="./main.ts"></script></body></html>`,
  );
  await writeFile(
    path.join(dir, 'main.ts'),
    `import { install } from ${JSON.stringify(spec.module)};\ninstall();\n`,
  );
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    build: { outDir: path.join(dir, 'dist'), emptyOutDir: true, target: 'es2022', minify: true },
  });
  for (const [name, content] of Object.entries(spec.files ?? {})) {
    const file = path.join(dir, 'dist', name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return dir;
}

/** Serves the bundle in `dir` on a free loopback port. */
export function serve(dir: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
  };
  const server = createServer(async (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path.join(dir, 'dist', pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(path.join(dir, 'dist'))) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res
        .writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`,
      });
    }),
  );
}

export interface BrowserBench {
  /**
   * Opens a fresh page, waits until `install()` has put `global` on `window`, resolves with what
   * `window[global].run(...args)` resolves with, and closes the page. An uncaught error or a console
   * error on the page fails the run. `options` are those of `browser.newPage()` (viewport, reduced
   * motion…).
   */
  run<T>(global: string, args: unknown[], options?: BrowserContextOptions): Promise<T>;
  /** Closes the browser and the server and removes the bundle. */
  close(): Promise<void>;
}

/** Bundles and serves the page and launches Chromium. */
export async function startBrowserBench(spec: PageSpec): Promise<BrowserBench> {
  const dir = await bundle(spec);
  let server: Server | undefined;
  let url = '';
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    server?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    ({ server, url } = await serve(dir));
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  } catch (error) {
    await close();
    throw error;
  }
  const launched = browser;
  return {
    close,
    async run<T>(global: string, args: unknown[], options?: BrowserContextOptions) {
      const page = await launched.newPage(options);
      try {
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await page.goto(url);
        await page
          .waitForFunction((name) => name in window, global, { timeout: 10_000 })
          .catch(() => {
            throw new Error(`the bench page did not start: ${errors.join('; ') || 'no error reported'}`);
          });
        const result = await page.evaluate(
          ([name, values]) =>
            (window as unknown as Record<string, { run(...a: unknown[]): Promise<unknown> }>)[name]!.run(
              ...values,
            ),
          [global, args] as const,
        );
        if (errors.length) throw new Error(`${global}.run(${JSON.stringify(args)}): ${errors.join('; ')}`);
        return result as T;
      } finally {
        await page.close();
      }
    },
  };
}
