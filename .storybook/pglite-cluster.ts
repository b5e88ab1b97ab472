import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const ID = 'virtual:pglite-cluster';
const RESOLVED = `\0${ID}`;
const root = fileURLToPath(new URL('..', import.meta.url));

/** The installed PGlite's version: a cluster only loads into the version that made it. */
async function pgliteVersion(): Promise<string> {
  const manifest = path.join(root, 'node_modules/@electric-sql/pglite/package.json');
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}

/** Runs initdb once per PGlite version (in Node) and keeps the empty cluster as a gzipped tarball. */
async function clusterFile(): Promise<string> {
  const file = path.join(root, `node_modules/.cache/dm-kit/pglite-${await pgliteVersion()}-cluster.tar.gz`);
  if (await stat(file).catch(() => undefined)) return file;
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create();
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  await mkdir(path.dirname(file), { recursive: true });
  // Written aside and renamed, so a build running at the same time never reads half a file.
  const partial = `${file}.${process.pid}`;
  await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
  await rename(partial, file);
  return file;
}

/**
 * `import clusterUrl from 'virtual:pglite-cluster'`: the URL of a freshly initialized, empty PGlite
 * cluster (a `dumpDataDir` tarball) for `PGlite.create({ loadDataDir })`. Creating a database in the
 * browser otherwise runs initdb in WebAssembly on every page load, several seconds each time; the
 * migrations and data still go in at run time.
 */
export function pgliteCluster(): Plugin {
  return {
    name: 'dm-kit:pglite-cluster',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      return `export { default } from ${JSON.stringify(`${await clusterFile()}?url`)};`;
    },
  };
}
