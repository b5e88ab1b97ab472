import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { HealthStatus } from '../../src/contract/index.js';
import type { App } from '../env.js';
import { json } from './shared.js';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness and database reachability',
  security: [],
  responses: {
    200: json(HealthStatus, 'Healthy'),
    503: json(HealthStatus, 'Database unreachable'),
  },
});

export function registerSystem(app: App) {
  app.openapi(health, async (c) => {
    const { db, version } = c.get('deps');
    try {
      await db.execute(sql`select 1`);
      return c.json({ status: 'ok' as const, database: 'ok' as const, version }, 200);
    } catch {
      return c.json({ status: 'degraded' as const, database: 'down' as const, version }, 503);
    }
  });
}
