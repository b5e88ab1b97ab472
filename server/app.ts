import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError, errorResponse, invalid, pgCode, validationError } from './errors.js';
import type { AppDeps, AppEnv } from './env.js';
import { registerSystem } from './routes/system.js';
import { registerIdentity } from './routes/identity.js';
import { registerJourneys } from './routes/journeys.js';
import { registerContacts } from './routes/contacts.js';
import { authenticate } from './routes/auth-middleware.js';
import { registerPreviews } from './routes/previews.js';
import { registerSends } from './routes/sends.js';
import { registerTracking } from './routes/tracking.js';
import { registerPreviewFrame } from './routes/preview-frame.js';
import { registerEngagement } from './routes/engagement.js';
import { registerLive } from './routes/live.js';
import { registerApprovalHooks, registerApprovals } from './routes/approvals.js';

export const API_VERSION = '0.1.0';

/** Query strings and path segments with a NUL character are refused (PostgreSQL text cannot hold it). */
const rejectNulInQuery: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  if (/%00/.test(url.pathname)) {
    throw invalid('path', 'must not contain NUL characters');
  }
  for (const [name, value] of url.searchParams) {
    if (value.includes('\u0000') || name.includes('\u0000')) {
      throw invalid(`query.${name.split('\u0000').join('')}`, 'must not contain NUL characters');
    }
  }
  await next();
};

/**
 * The reference API as a Hono app. Pure: storage, secret and clock come in as dependencies, so the
 * same app serves Node (`server/main.ts`), tests (`app.fetch`) and the browser.
 */
export function createApp(input: AppDeps) {
  const deps = {
    clock: () => new Date(),
    demo: false,
    version: API_VERSION,
    publicUrl: 'http://127.0.0.1:8787',
    ...input,
  };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });

  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('/v1/*', authenticate);
  app.use('/v1/*', rejectNulInQuery);

  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    if (err instanceof HTTPException) {
      const status = err.status;
      if (status === 400)
        return errorResponse(
          c,
          new ApiError(400, 'validation', 'body: malformed JSON', [
            { path: 'body', message: 'malformed JSON' },
          ]),
        );
      return errorResponse(
        c,
        new ApiError(status, status === 401 ? 'auth' : 'server', err.message || 'request failed'),
      );
    }
    // A NUL in a body string reaches PostgreSQL, which cannot store it in text.
    if (pgCode(err) === '22P05' || pgCode(err) === '22021') {
      return errorResponse(c, invalid('body', 'text must not contain NUL characters'));
    }
    console.error('unhandled error', err);
    return errorResponse(c, new ApiError(500, 'server', 'internal error'));
  });
  app.notFound((c) =>
    errorResponse(c, new ApiError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`)),
  );

  registerSystem(app);
  registerIdentity(app);
  registerJourneys(app);
  registerContacts(app);
  registerPreviews(app);
  registerApprovalHooks(app);
  registerSends(app);
  registerTracking(app);
  registerPreviewFrame(app);
  registerEngagement(app);
  registerLive(app);
  registerApprovals(app);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'DM Kit API',
      version: API_VERSION,
      description: 'Distributed marketing: journeys, contacts, previews, sends, approvals, engagement.',
    },
    servers: [{ url: deps.publicUrl }],
    security: [{ bearer: [] }],
  });
  return app;
}
