import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { isNucleonError, type Logger, type Platform } from '@nucleon/core';
import { bearerChecker, type DashboardAuth } from './auth.js';
import { DeployTracker } from './deploy-tracker.js';
import { DashboardCodes, HttpError, type ErrorBody } from './http-error.js';
import { collectRoutes } from './openapi.js';
import { ProjectStore } from './project-store.js';
import { functionRoutes } from './routes/functions.js';
import { invocationRoutes } from './routes/invocations.js';
import { projectRoutes } from './routes/projects.js';
import { sessionRoutes } from './routes/session.js';
import { templateRoutes } from './routes/templates.js';
import type { RouteDeps } from './route-deps.js';

/** Options of {@link createDashboardServer} and `startDashboard`. */
export interface DashboardOptions {
  /** From @nucleon/core; the only way to functions. */
  platform: Platform;
  /** 'local' | 'docker' | 'kube', shown by the UI. */
  platformName: string;
  /** The dashboard's own files: projects.json, token hash, functions/<name>/ sources. */
  stateDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8070; 0 = any free port. */
  port?: number;
  auth: DashboardAuth;
  logger?: Logger;
  /** Default 8 MiB; larger bodies get 413. */
  bodyLimitBytes?: number;
}

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;

/** The built UI: `dist/ui` beside the built module, or (running from src in tests) `../dist/ui`. */
function uiRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, 'ui'), join(here, '..', 'dist', 'ui')].find((dir) => existsSync(join(dir, 'index.html')));
}

function errorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof HttpError) {
    return { status: err.statusCode, body: { error: err.message, code: err.code, problems: err.problems } };
  }
  if (isNucleonError(err)) {
    const status = err.code === 'NUCLEON_ERR_FUNCTION_NOT_FOUND' ? 404 : 500;
    return { status, body: { error: err.message, code: err.code, problems: err.details.problems } };
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: fe.message, code: fe.code } };
  }
  return { status: 500, body: { error: err instanceof Error ? err.message : String(err) } };
}

/** Builds the dashboard's HTTP server (not listening): auth, JSON errors, the API routes and the UI. */
export async function createDashboardServer(o: DashboardOptions): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: o.bodyLimitBytes ?? DEFAULT_BODY_LIMIT, logger: false });
  const check = bearerChecker(o.auth);
  const deps: RouteDeps = {
    platform: o.platform,
    platformName: o.platformName,
    stateDir: o.stateDir,
    authDisabled: check === undefined,
    tracker: new DeployTracker(),
    projects: new ProjectStore(o.stateDir),
    logger: o.logger,
  };

  app.setErrorHandler((err, _req, reply) => {
    const { status, body } = errorBody(err);
    if (status >= 500) o.logger?.errorWith('dashboard request failed', { error: body.error });
    void reply.status(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}`, code: DashboardCodes.NOT_FOUND });
  });

  app.addHook('onRequest', async (req, reply) => {
    // No CORS: a browser preflight from another origin is refused outright.
    if (req.method === 'OPTIONS') {
      return reply.status(403).send({ error: 'cross-origin requests are not allowed', code: 'NUCLEON_ERR_FORBIDDEN' });
    }
    // The matched route's pattern, not the raw URL: a percent-encoded spelling of `/api/...`
    // routes to the same handler and must not pass unchecked.
    const path = req.routeOptions.url ?? req.url;
    if (check && path.startsWith('/api/') && !check(req.headers.authorization)) {
      return reply.status(401).send({ error: 'missing or wrong bearer token', code: DashboardCodes.UNAUTHORIZED });
    }
  });

  const routes = collectRoutes(app);
  app.get('/healthz', async () => ({ ok: true }));
  await app.register(async (api) => {
    sessionRoutes(api, deps, routes);
    projectRoutes(api, deps);
    templateRoutes(api);
    functionRoutes(api, deps);
  });
  await app.register(async (raw) => invocationRoutes(raw, deps));

  const root = uiRoot();
  if (root) {
    // `index` is not resolved for pre-compressed files: `/` is named explicitly.
    await app.register(fastifyStatic, { root, prefix: '/', index: false, wildcard: true, preCompressed: true });
    app.get('/', async (_req, reply) => reply.sendFile('index.html'));
  } else app.get('/', async (_req, reply) => reply.type('text/plain').send('the dashboard UI is not built (run the package build)'));
  return app;
}
