// `npm start`: builds the script-tag bundle (skipped when nothing it is built from changed since the
// last build), then serves the API and the demo pages on one origin with the embedded database
// (PGlite in DM_DATA_DIR, default ./.dm-data).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const BUNDLE = 'dist/cdn/dm-kit.js';
/** Outside dist/cdn, which is published. */
const STAMP = 'dist/.cdn-inputs';
const INPUTS = ['src', 'vite.config.ts', 'package-lock.json', 'tsconfig.json'];

/** Path, size and modification time of every file the bundle is built from, hashed. */
async function fingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    const info = await stat(input).catch(() => null);
    if (!info) continue;
    const files = info.isDirectory()
      ? (await readdir(input, { recursive: true, withFileTypes: true }))
          .filter((d) => d.isFile())
          .map((d) => path.join(d.parentPath ?? d.path, d.name))
          .sort()
      : [input];
    for (const file of files) {
      const s = await stat(file);
      hash.update(`${file}\0${s.size}\0${s.mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

const run = (cmd, args, env = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (code === 0 || signal) resolve(code ?? 0);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
    });
  });

try {
  const inputs = await fingerprint();
  const built = existsSync(BUNDLE) ? await readFile(STAMP, 'utf8').catch(() => '') : '';
  if (built !== inputs) {
    await run(process.execPath, [
      'node_modules/vite/bin/vite.js',
      'build',
      '--mode',
      'cdn',
      '--logLevel',
      'warn',
    ]);
    await writeFile(STAMP, inputs);
  }
  await run(process.execPath, ['--import', 'tsx', 'server/main.ts'], { DM_DEMO: process.env.DM_DEMO ?? '1' });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
