import type { FastifyInstance } from 'fastify';
import pkg from '../../package.json' with { type: 'json' };
import { openApiDocument, type RouteRecord } from '../openapi.js';
import type { RouteDeps } from '../route-deps.js';

/** `GET /api/session` (the UI's login check) and `GET /api/openapi.json`. */
export function sessionRoutes(app: FastifyInstance, deps: RouteDeps, routes: RouteRecord[]): void {
  app.get('/api/session', {
    schema: { summary: 'Who the dashboard is: platform, version, whether auth is off' },
  }, async () => ({ platform: deps.platformName, version: pkg.version, authDisabled: deps.authDisabled }));
  app.get('/api/openapi.json', { schema: { summary: 'This API as an OpenAPI 3.1 document' } }, async () =>
    openApiDocument(routes, pkg.version));
}
