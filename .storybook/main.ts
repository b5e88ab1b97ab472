import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';
import { pgliteCluster } from './pglite-cluster.js';

const manifest = fileURLToPath(new URL('../custom-elements.json', import.meta.url));

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs', '@storybook/addon-vitest'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    // The manifest comes from `npm run analyze` (run by the storybook scripts). Importing it through an
    // alias keeps `tsc` independent of a generated, git-ignored file.
    viteConfig.resolve ??= {};
    viteConfig.resolve.alias = [
      ...(Array.isArray(viteConfig.resolve.alias)
        ? viteConfig.resolve.alias
        : Object.entries(viteConfig.resolve.alias ?? {}).map(([find, replacement]) => ({
            find,
            replacement,
          }))),
      { find: 'virtual:custom-elements.json', replacement: manifest },
    ];
    // The stories run the reference server on PGlite in the page. Pre-bundling would separate PGlite's
    // module from the .wasm and .data files it loads relative to itself.
    viteConfig.optimizeDeps ??= {};
    viteConfig.optimizeDeps.exclude = [...(viteConfig.optimizeDeps.exclude ?? []), '@electric-sql/pglite'];
    viteConfig.plugins = [...(viteConfig.plugins ?? []), pgliteCluster()];
    return viteConfig;
  },
};

export default config;
