import type { FastifyInstance } from 'fastify';
import { DashboardCodes, HttpError } from '../http-error.js';
import { logsHeader, requestLogLines } from '../request-logs.js';
import type { RouteDeps } from '../route-deps.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-authorization', 'host', 'content-length', 'authorization']);

/** `ANY /api/function_invocations`: forwards the raw request to the function; raw body parsing in its own scope. */
export function invocationRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.all('/api/function_invocations', { schema: { summary: 'Invoke a function (x-nuclio-function-name, x-nuclio-path)' } }, async (req, reply) => {
    const name = req.headers['x-nuclio-function-name'];
    if (typeof name !== 'string' || !name) throw new HttpError(400, 'x-nuclio-function-name is required', DashboardCodes.BAD_REQUEST);
    const status = await deps.platform.get(name);
    if (!status) throw new HttpError(404, `function ${name} not found`, 'NUCLEON_ERR_FUNCTION_NOT_FOUND');
    if (status.state !== 'ready' || !status.url) throw new HttpError(409, `function ${name} is ${status.state}`, DashboardCodes.NOT_READY);
    const path = String(req.headers['x-nuclio-path'] ?? '/');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (HOP_BY_HOP.has(k) || k.startsWith('x-nuclio-') || v === undefined) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : (req.body as Buffer | undefined);
    const level = String(req.headers['x-nuclio-log-level'] ?? 'info');
    const startedAt = Date.now();
    const res = await fetch(new URL(path.startsWith('/') ? path : `/${path}`, status.url), { method: req.method, headers, body, signal: AbortSignal.timeout(60_000) })
      .catch((err: unknown) => { throw new HttpError(502, `function ${name} unreachable: ${(err as Error).message}`, DashboardCodes.UNREACHABLE); });
    const out = Buffer.from(await res.arrayBuffer());
    // The processor writes its log asynchronously: a moment for the request's last lines to land.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = level === 'none' ? [] : await requestLogLines(deps.platform, name, level, startedAt, Date.now()).catch(() => []);
    void reply.header('x-nuclio-logs', logsHeader(lines));
    res.headers.forEach((v, k) => { if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') void reply.header(k, v); });
    return reply.status(res.status).send(out);
  });
}
