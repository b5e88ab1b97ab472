/// <reference types="vite/client" />

/**
 * The URL of an empty, initialized PGlite cluster (a `dumpDataDir` tarball), from the Storybook Vite
 * plugin in `.storybook/pglite-cluster.ts`.
 */
declare module 'virtual:pglite-cluster' {
  const url: string;
  export default url;
}
