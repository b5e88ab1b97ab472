// web-test-runner: element tests in the system Chromium (no browser download).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumArgs, chromiumPath } from './chromium.config.mjs';

const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

/**
 * Writes `{ passed, failed, skipped }` to the file named by `DM_WTR_COUNTS` (read by `npm test` for its
 * summary). A test file that fails before running its tests (e.g. an import error) counts as one failure.
 */
function countsReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      const walk = (suite) => {
        for (const test of suite.tests) {
          if (test.skipped) counts.skipped += 1;
          else if (test.passed) counts.passed += 1;
          else counts.failed += 1;
        }
        for (const child of suite.suites) walk(child);
      };
      for (const session of sessions) {
        if (session.testResults) walk(session.testResults);
        if (!session.passed && (session.errors?.length ?? 0) > 0) counts.failed += 1;
      }
      writeFileSync(file, JSON.stringify(counts));
    },
  };
}

export default {
  files: 'test/elements/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  // esbuild must read tsconfig.json, or it ignores experimentalDecorators and the browser throws.
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        args: chromiumArgs,
      },
    }),
  ],
  reporters: [
    defaultReporter(),
    ...(process.env.DM_WTR_COUNTS ? [countsReporter(process.env.DM_WTR_COUNTS)] : []),
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
