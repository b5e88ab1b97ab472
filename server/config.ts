import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  smtpUrl: string | undefined;
  secret: string;
  publicUrl: string;
  demo: boolean;
}

/** Reads the server settings from the environment (see the README's configuration table). */
export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<ServerConfig> {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = path.resolve(env.DM_DATA_DIR ?? '.dm-data');
  await mkdir(dataDir, { recursive: true });
  const secret = env.DM_SECRET ?? (await storedSecret(dataDir));
  if (secret.length < 32) throw new Error('DM_SECRET must be at least 32 characters');
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    smtpUrl: env.SMTP_URL || undefined,
    secret,
    publicUrl: (env.DM_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(
      /\/$/,
      '',
    ),
    demo: env.DM_DEMO === '1' || env.DM_DEMO === 'true',
  };
}

/** A secret generated once and kept in the data directory, so tokens survive restarts. */
async function storedSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    await writeFile(file, secret + '\n', { mode: 0o600 });
    return secret;
  }
}
