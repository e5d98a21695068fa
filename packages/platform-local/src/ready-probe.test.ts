import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { readyAnswers } from './ready-probe.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('readyAnswers', () => {
  it('is true for 200 on /ready only', async () => {
    const port = await serve((req, res) => res.writeHead(req.url === '/ready' ? 200 : 404).end());
    expect(await readyAnswers(port, 500)).toBe(true);
  });

  it('is false for 503, a closed port and a server that never answers', async () => {
    expect(await readyAnswers(await serve((_req, res) => res.writeHead(503).end()), 500)).toBe(false);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    expect(await readyAnswers(1, 500)).toBe(false);
    const started = Date.now();
    expect(await readyAnswers(await serve(() => undefined), 200)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
