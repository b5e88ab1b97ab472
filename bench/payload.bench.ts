/**
 * Script-tag payload (gzip of what the browser fetches) against Shoelace's published CDN modules:
 * rebuilds the script-tag bundles, then runs the measurement in scripts/size.ts.
 *
 *   npx tsx bench/payload.bench.ts
 */
import { execFileSync } from 'node:child_process';

for (const mode of ['cdn', 'auto']) {
  execFileSync('npx', ['vite', 'build', '--mode', mode, '--logLevel', 'warn'], { stdio: 'inherit' });
}
await import('../scripts/size.js');
