import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeAddresses } from './platform-support.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A stand-in admin server answering /addresses with `status` and `body`. */
async function admin(status: number, body: string, delayMs = 0): Promise<number> {
  server = createServer((req, res) => {
    setTimeout(() => res.writeHead(req.url === '/addresses' ? status : 404, { 'content-type': 'application/json' }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const A = { trigger: 'a', kind: 'http', url: 'http://127.0.0.1:41001' };
const B = { trigger: 'b', kind: 'http', url: 'http://127.0.0.1:42002' };

describe('probeAddresses', () => {
  it('reads the processor\'s /addresses', async () => {
    expect(await probeAddresses(await admin(200, JSON.stringify({ addresses: [A, B] })))).toEqual([A, B]);
  });

  it('is undefined for a processor without /addresses, a malformed answer, or no answer in time', async () => {
    expect(await probeAddresses(await admin(404, 'not found'))).toBeUndefined();
    await new Promise((resolve) => server!.close(resolve));
    expect(await probeAddresses(await admin(200, JSON.stringify({ addresses: [{ trigger: 'a' }] })))).toBeUndefined();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    expect(await probeAddresses(await admin(200, JSON.stringify({ addresses: [A] }), 2000), 200)).toBeUndefined();
    expect(await probeAddresses(0)).toBeUndefined();
  });
});

