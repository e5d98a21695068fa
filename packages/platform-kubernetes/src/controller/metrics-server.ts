import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The controller's default `/metrics` and `/healthz` port, on 127.0.0.1. */
export const DEFAULT_METRICS_PORT = 8094;

export interface MetricsSource {
  /** Prometheus text exposition. */
  metrics(): string;
  /** Whether the process is alive and its loops are running. */
  healthy(): boolean;
}

/** Serves `/metrics` and `/healthz` on 127.0.0.1:`port` (0: any free port). */
export async function startMetricsServer(port: number, source: MetricsSource): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(source.metrics());
    } else if (req.method === 'GET' && path === '/healthz') {
      const ok = source.healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : 'unhealthy\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
