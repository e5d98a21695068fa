import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago: bind 127.0.0.1:0, read the port, close.
 * Another process may take it before the processor binds; deploy then fails and says so.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read a free port'))));
    });
  });
}
