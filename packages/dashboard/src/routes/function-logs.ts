import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http-error.js';
import { scrapeMetrics } from '../metrics-scrape.js';
import type { RouteDeps } from '../route-deps.js';
import { openEventStream } from '../sse.js';

/** A function's log stream (SSE) and its scraped metrics. */
export function functionLogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: { name: string }; Querystring: { follow?: string } }>('/api/functions/:name/logs', {
    schema: { summary: 'Every log line, then (follow=1) new ones, as text/event-stream', querystring: { type: 'object', properties: { follow: { type: 'string' } } } },
  }, async (req, reply) => {
    if (!(await deps.platform.get(req.params.name))) throw new HttpError(404, `function ${req.params.name} not found`, 'NUCLEON_ERR_FUNCTION_NOT_FOUND');
    const follow = req.query.follow === '1' || req.query.follow === 'true';
    const stream = openEventStream(req, reply);
    try {
      for await (const line of deps.platform.logs(req.params.name, { follow, signal: stream.signal })) {
        if (stream.signal.aborted) break;
        stream.send('line', line);
      }
    } catch (err) {
      if (!stream.signal.aborted) stream.send('error', JSON.stringify({ error: (err as Error).message }));
    }
    stream.end();
  });

  app.get<{ Params: { name: string } }>('/api/functions/:name/metrics', { schema: { summary: 'Invocations, errors, latency scraped from the processor' } }, async (req) => {
    const status = await deps.platform.get(req.params.name);
    if (!status) throw new HttpError(404, `function ${req.params.name} not found`, 'NUCLEON_ERR_FUNCTION_NOT_FOUND');
    if (status.state !== 'ready') throw new HttpError(409, `function ${req.params.name} is ${status.state}`, 'NUCLEON_ERR_FUNCTION_NOT_READY');
    return scrapeMetrics(status);
  });
}
