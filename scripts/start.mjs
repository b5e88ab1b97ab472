// `npm start`: builds the script-tag bundle, then serves the API and the demo pages on one origin
// with the embedded database (PGlite in DM_DATA_DIR, default ./.dm-data).
import { spawn } from 'node:child_process';

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
  await run('npx', ['vite', 'build', '--mode', 'cdn', '--logLevel', 'warn']);
  await run('npx', ['tsx', 'server/main.ts'], { DM_DEMO: process.env.DM_DEMO ?? '1' });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
