import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pieceEnd, STRING_PIECE_CHARS, writeBody } from './response-writer.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves `body` with writeBody and returns what a client reads, byte for byte. */
async function roundTrip(body: string | Buffer): Promise<Buffer> {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length });
    writeBody(res, body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve(Buffer.concat(parts)));
    }).on('error', reject).end();
  });
}

describe('writeBody', () => {
  it('sends a long string with multi-byte characters across piece boundaries intact', async () => {
    // Emoji are surrogate pairs: an odd offset puts one across every piece boundary.
    const text = `a${'é😀'.repeat(STRING_PIECE_CHARS)}z`;
    expect((await roundTrip(text)).toString('utf8')).toBe(text);
  });

  it('sends short strings and Buffers as they are', async () => {
    expect((await roundTrip('hello')).toString()).toBe('hello');
    const bytes = Buffer.alloc(3 * STRING_PIECE_CHARS, 7);
    expect((await roundTrip(bytes)).equals(bytes)).toBe(true);
  });
});

describe('pieceEnd', () => {
  it('never ends a piece between the halves of a surrogate pair', () => {
    const text = 'ab😀cd'; // 😀 is two UTF-16 units, at 2 and 3
    expect(pieceEnd(text, 0, 3)).toBe(2);
    expect(pieceEnd(text, 0, 4)).toBe(4);
    expect(pieceEnd(text, 4, 10)).toBe(text.length);
  });
});
