import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Scaler } from './scaler.js';

export interface ScalerServer {
  port: number;
  close(): Promise<void>;
}

/** The scaler's own admin server: `/metrics` (Prometheus), `/healthz`, `/status` (what it holds, as JSON). */
export async function startScalerServer(scaler: Scaler, options: { host: string; port: number; platform?: string }): Promise<ScalerServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (path === '/status') {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify({ pid: process.pid, platform: options.platform, functions: scaler.status() })}\n`);
    }
    if (path === '/metrics') {
      void scaler.metrics.registry.metrics().then((text) => res.writeHead(200, { 'content-type': scaler.metrics.registry.contentType }).end(text));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics, /healthz or /status\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
