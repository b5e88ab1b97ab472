import { defineConfig, type UserConfig } from 'vite';

// Decorators: Vite's transformer reads experimentalDecorators / useDefineForClassFields from
// tsconfig.json (legacy decorators; standard ones would reach the browser un-lowered).

/** Packages a host app installs alongside dm-kit; the npm build leaves them external. */
const external = [
  /^lit($|\/)/,
  /^@lit\//,
  /^lit-html/,
  /^zod($|\/)/,
  /^ky$/,
  /^chart\.js($|\/)/,
  /^react($|\/)/,
];

/** npm build: ESM, one entry per element (define files) plus classes, SDK and contract, deps external. */
const npm: UserConfig = {
  build: {
    outDir: 'dist/npm',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    lib: {
      formats: ['es'],
      entry: {
        index: 'src/index.ts',
        sdk: 'src/sdk/index.ts',
        contract: 'src/contract/index.ts',
        'elements/provider': 'src/elements/provider/define.ts',
        'elements/journey-showroom': 'src/elements/journey-showroom/define.ts',
        'elements/quick-send': 'src/elements/quick-send/define.ts',
        'elements/approval-queue': 'src/elements/approval-queue/define.ts',
        'elements/engagement-chart': 'src/elements/engagement-chart/define.ts',
        react: 'src/react/index.ts',
      },
    },
    rolldownOptions: { external, output: { chunkFileNames: 'chunks/[name]-[hash].js' } },
  },
};

/**
 * Chunk names of the script-tag builds. Translation tables other than English go to `chunks/locales/`
 * (fetched only for a page in that language), so the size report can tell them from the chart code.
 */
const cdnChunkFileNames = (chunk: { moduleIds: readonly string[] }) =>
  chunk.moduleIds.length > 0 && chunk.moduleIds.every((id) => /[\\/]src[\\/]translations[\\/]/.test(id))
    ? 'chunks/locales/[name]-[hash].js'
    : 'chunks/[name]-[hash].js';

/** Script-tag build: one self-contained module that defines every element; chart and locales split out. */
const cdn: UserConfig = {
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    lib: { formats: ['es'], entry: { 'dm-kit': 'src/cdn.ts' } },
    rolldownOptions: {
      // Chart.js scale and controller classes carry static fields that read properties; without this
      // every unused one (time, logarithmic, radial, …) stays in the chart chunk.
      treeshake: { propertyReadSideEffects: false },
      output: { minify: true, chunkFileNames: cdnChunkFileNames },
    },
  },
};

/** Autoloader build: a tiny loader plus one module per element, fetched only when its tag appears. */
const auto: UserConfig = {
  build: {
    ...cdn.build,
    outDir: 'dist/cdn/auto',
    lib: {
      formats: ['es'],
      entry: {
        autoloader: 'src/autoloader.ts',
        'elements/provider': 'src/elements/provider/define.ts',
        'elements/journey-showroom': 'src/elements/journey-showroom/define.ts',
        'elements/quick-send': 'src/elements/quick-send/define.ts',
        'elements/approval-queue': 'src/elements/approval-queue/define.ts',
        'elements/engagement-chart': 'src/elements/engagement-chart/define.ts',
      },
    },
  },
};

const configs: Record<string, UserConfig> = { npm, cdn, auto };

export default defineConfig(({ mode }) => configs[mode] ?? {});
