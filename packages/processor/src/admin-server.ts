import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { TriggerAddress } from '@nucleon/core';
import type { LoopState } from './loop-watchdog.js';

// Not `import { createServer } from 'node:http'`: an ES import of node:http builds a module
// facade that reads every export, and http.WebSocket & co. are lazy getters loading Node's
// bundled undici, about 60 ms of a cold start. require() hands back the plain object.
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

export interface AdminServer {
  address(): { host: string; port: number };
  close(): Promise<void>;
}

/**
 * The processor's admin port: `/live` (the process answers, and whether the event-loop
 * watchdog ever found the loop blocked), `/ready` (triggers are running and the processor is
 * not draining), `/metrics` (Prometheus text format) and `/addresses` (every listening
 * address of every trigger, as JSON `{ "addresses": TriggerAddress[] }`).
 */
export async function startAdminServer(options: {
  host: string;
  port: number;
  /** Renders the Prometheus text format and its content type. */
  metrics(): Promise<{ text: string; contentType: string }>;
  isReady(): boolean;
  /** Every listening address of every trigger, at the time of the request. */
  addresses?(): TriggerAddress[];
  /** The event-loop watchdog's findings, when it runs. */
  loop?(): LoopState | undefined;
}): Promise<AdminServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/live') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(liveText(options.loop?.()));
    } else if (path === '/ready') {
      const ready = options.isReady();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
    } else if (path === '/metrics') {
      options.metrics().then(
        ({ text, contentType }) => res.writeHead(200, { 'content-type': contentType }).end(text),
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${err.message}\n`),
      );
    } else if (path === '/addresses') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify({ addresses: options.addresses?.() ?? [] })}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /ready, /live, /metrics or /addresses\n');
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

/**
 * `/live` can only answer while the loop runs, so it tells of blocks that have passed: a
 * processor that answers but keeps blocking shows it here (and on stderr, as each happens).
 */
function liveText(loop: LoopState | undefined): string {
  if (!loop || loop.blocks === 0) return 'live\n';
  return `live; the event loop was blocked past ${loop.boundMs} ms ${loop.blocks} time(s), the longest for ${loop.longestBlockMs} ms\n`;
}
