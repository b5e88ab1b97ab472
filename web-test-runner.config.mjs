// web-test-runner: element tests in the system Chromium (no browser download).
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

export default {
  files: 'test/elements/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  // esbuild must read tsconfig.json, or it ignores experimentalDecorators and the browser throws.
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      },
    }),
  ],
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 10_000 } },
  // A ResizeObserver that cannot deliver all notifications in one frame reports a harmless
  // "ResizeObserver loop" error (virtualized lists); swallow it before the test framework loads.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>DM Kit element tests</title></head>
  <body>
    <script>
      window.addEventListener('error', (event) => {
        if (typeof event.message === 'string' && event.message.includes('ResizeObserver loop')) {
          event.stopImmediatePropagation();
          event.preventDefault();
        }
      });
    </script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
