import type { ServerResponse } from 'node:http';

/**
 * A string body longer than this is encoded and written piece by piece, as the socket takes
 * it. Written whole, node:http would join it to the headers and copy the joined text into
 * one write buffer per response: a 50 MB string sent to 20 clients that read slowly held
 * about 1.2 GB. Piece by piece, a slow client holds one piece.
 */
export const STRING_PIECE_CHARS = 64 * 1024;

/**
 * Writes a response body with back-pressure: bytes go out as the client reads them. A Buffer
 * is written as it is (node:http keeps a reference, never a copy); a long string is encoded
 * one piece at a time after each 'drain'. Ends the response.
 */
export function writeBody(res: ServerResponse, body: string | Buffer): void {
  if (typeof body !== 'string' || body.length <= STRING_PIECE_CHARS) {
    res.end(body);
    return;
  }
  let offset = 0;
  const pump = (): void => {
    while (offset < body.length) {
      const end = pieceEnd(body, offset);
      const piece = body.slice(offset, end);
      offset = end;
      if (!res.write(piece)) {
        // A destroyed response never drains; it is dropped with its closure.
        if (!res.destroyed) res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

/** Where the piece starting at `offset` ends, never between the two halves of a surrogate pair. */
export function pieceEnd(text: string, offset: number, size = STRING_PIECE_CHARS): number {
  let end = Math.min(offset + size, text.length);
  if (end < text.length) {
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  }
  return end;
}
