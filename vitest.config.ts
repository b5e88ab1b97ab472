import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumPath } from './chromium.config.mjs';

/** Every story renders (and runs its play function) as a test in Chromium. */
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          // One page for every story file: the reference server the stories run against
          // (stories/support/story-server.ts) boots once instead of once per file.
          isolate: false,
          setupFiles: ['./stories/support/vitest.setup.ts'],
          // A story's loaders build its data in the page's database (10,000 held sends for one of them).
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
