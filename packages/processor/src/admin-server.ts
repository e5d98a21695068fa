import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AdminServer {
  address(): { host: string; port: number };
  close(): Promise<void>;
}

/**
 * The processor's admin port: `/live` (the process answers), `/ready` (triggers are running
 * and the processor is not draining) and `/metrics` (Prometheus text format).
 */
export async function startAdminServer(options: {
  host: string;
  port: number;
  /** Renders the Prometheus text format and its content type. */
  metrics(): Promise<{ text: string; contentType: string }>;
  isReady(): boolean;
}): Promise<AdminServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/live') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('live\n');
    } else if (path === '/ready') {
      const ready = options.isReady();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
    } else if (path === '/metrics') {
      options.metrics().then(
        ({ text, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /ready, /live or /metrics\n');
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    address() {
      const info = server.address() as AddressInfo;
      return { host: info.address, port: info.port };
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
