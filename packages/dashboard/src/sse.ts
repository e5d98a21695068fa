import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Takes over the raw response for a `text/event-stream`; returns a writer and a signal that
 * aborts when the client goes away, so the producer (a log iterator) stops too.
 */
export function openEventStream(req: FastifyRequest, reply: FastifyReply): { send(event: string, data: string): void; end(): void; signal: AbortSignal } {
  const controller = new AbortController();
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.flushHeaders();
  req.raw.on('close', () => controller.abort());
  res.on('close', () => controller.abort());
  return {
    signal: controller.signal,
    // A data line may not hold a newline; each line of a multi-line value becomes its own `data:`.
    send: (event, data) => {
      if (!res.writableEnded) res.write(`event: ${event}\n${data.split(/\r?\n/).map((l) => `data: ${l}`).join('\n')}\n\n`);
    },
    end: () => {
      if (!res.writableEnded) res.end();
    },
  };
}
