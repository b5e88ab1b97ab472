import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Brand, Partner, Role } from '../src/contract/index.js';
import type { Db } from './db/types.js';

/** Everything the app needs from its host; no Node-only APIs, so the app also runs in a browser. */
export interface AppDeps {
  db: Db;
  /** Signs bearer tokens, tracking and unsubscribe links. */
  secret: string;
  /** Current time; injectable for tests. */
  clock?: () => Date;
  /** Enables `/v1/demo/*` (sample users and sessions). */
  demo?: boolean;
  /** Public base URL for links in email. */
  publicUrl?: string;
  /** Server version reported by `/healthz`. */
  version?: string;
  /** Called after a send commits outbox rows, so an outbox worker can wake up at once. */
  notifyOutbox?: () => void;
}

export interface Caller {
  userId: string;
  name: string;
  email: string;
  role: Role;
  brand: Brand;
  partner: Partner | null;
}

export interface AppEnv {
  Variables: {
    deps: Required<Omit<AppDeps, 'publicUrl' | 'notifyOutbox'>> & {
      publicUrl: string;
      notifyOutbox?: () => void;
    };
    caller: Caller;
  };
}

export type App = OpenAPIHono<AppEnv>;
