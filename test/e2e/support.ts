import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Runs `npm start` exactly as the README says, in a fresh data directory, until /healthz answers.
 * `env` adds settings (e.g. `SMTP_URL`).
 */
export async function startDemo(env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Started> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dm-e2e-'));
  let log = '';
  const child: ChildProcess = spawn('npm', ['start'], {
    env: { ...process.env, ...env, PORT: String(port), DM_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, output: () => log, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`npm start did not answer within ${timeoutMs} ms:\n${log}`);
}

/**
 * Sends the journey shown on `journeyName`'s showroom card to the first `recipients` contacts through
 * `<dm-quick-send>`: recipients → personalize → preview → send. Returns the chosen options' text.
 */
export async function sendFromShowroom(
  page: Page,
  journeyName: string,
  recipients: number,
): Promise<string[]> {
  const card = page.locator('dm-journey-showroom [part~="card"]', { hasText: journeyName });
  await card.locator('[part~="select-button"]').click();
  const quickSend = page.locator('dm-quick-send');
  await quickSend.locator('[part~="header"]', { hasText: journeyName }).waitFor();
  const options = quickSend.locator('[part~="option"]:not([aria-disabled="true"])');
  await options.nth(recipients - 1).waitFor();
  const chosen: string[] = [];
  for (let i = 0; i < recipients; i++) {
    chosen.push((await options.nth(i).textContent()) ?? '');
    await options.nth(i).click();
  }
  await quickSend
    .locator('[part~="chip"]')
    .nth(recipients - 1)
    .waitFor();
  const next = quickSend.locator('[part~="footer"]').getByRole('button', { name: 'Next', exact: true });
  await next.click(); // → personalize
  await quickSend.locator('[part~="block"]').first().waitFor();
  await next.click(); // → preview
  await quickSend.locator('[part~="frame"]').waitFor();
  await next.click(); // → send
  await quickSend.locator('[part~="send-button"]').click();
  await quickSend.locator('[part~="result"]').waitFor();
  return chosen;
}

export { chromiumArgs, chromiumPath } from '../../chromium.config.mjs';

/**
 * Call last in a file's `after`: if something outside the test (it was once the TypeScript loader's
 * esbuild service pipes) still keeps the process alive 5 s after the file's tests are done, exit, so
 * the run reports instead of waiting forever. The timer is unref'd: a file that ends normally never
 * sees it.
 */
export function exitIfStillAlive(): void {
  setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
}
