import type { FastifyInstance } from 'fastify';

/** One registered route as the OpenAPI generator sees it. */
export interface RouteRecord {
  method: string;
  url: string;
  schema?: Record<string, unknown>;
}

/** Records every route registered after this call (Fastify's onRoute hook), for the OpenAPI document. */
export function collectRoutes(app: FastifyInstance): RouteRecord[] {
  const routes: RouteRecord[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    for (const m of methods) {
      if (m === 'HEAD' || !r.url.startsWith('/')) continue;
      routes.push({ method: m.toLowerCase(), url: r.url, schema: r.schema as Record<string, unknown> | undefined });
    }
  });
  return routes;
}

/** `/api/functions/:name` -> `/api/functions/{name}`, with the path parameters listed. */
function openApiPath(url: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

/** An OpenAPI 3.1 document of the recorded `/api/` routes, from their Fastify schemas. */
export function openApiDocument(routes: RouteRecord[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    if (!r.url.startsWith('/api/') && r.url !== '/healthz') continue;
    const { path, params } = openApiPath(r.url);
    const schema = r.schema ?? {};
    const op: Record<string, unknown> = {
      summary: schema.summary,
      parameters: [
        ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...Object.entries((schema.querystring as { properties?: Record<string, unknown> } | undefined)?.properties ?? {})
          .map(([name, s]) => ({ name, in: 'query', schema: s })),
      ],
      responses: { default: { description: 'JSON; errors are {error, code?, problems?}' } },
    };
    if (schema.body) op.requestBody = { content: { 'application/json': { schema: schema.body } } };
    if (r.url.startsWith('/api/')) op.security = [{ bearer: [] }];
    const methods = r.method === 'all' ? ['get', 'post', 'put', 'delete', 'patch'] : [r.method];
    for (const m of methods) (paths[path] ??= {})[m] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Nucleon dashboard API', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

declare module 'fastify' {
  interface FastifySchema {
    /** One line for the OpenAPI document. */
    summary?: string;
  }
}
