import { createServer, request, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createError, ErrorCodes, type Logger } from '@nucleon/core';

/** Bounds on what the activator keeps for one function while it wakes. */
export interface HoldLimits {
  /** Requests waiting at once; more are answered 503 at once. */
  maxRequests: number;
  /** Bytes of request bodies waiting at once. */
  maxBytes: number;
  /** One request body; a larger one is answered 413. */
  maxBodyBytes: number;
  /** How long a request waits for the wake before it is answered 503. */
  waitTimeoutMs: number;
}

export const DEFAULT_HOLD_LIMITS: HoldLimits = {
  maxRequests: 1000, maxBytes: 64 * 1024 * 1024, maxBodyBytes: 4 * 1024 * 1024, waitTimeoutMs: 60_000,
};

interface Waiting {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  timer: NodeJS.Timeout;
}

/** Headers that belong to one connection, not to the request or response (RFC 9110 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/** What {@link FunctionHold} tells its owner. */
export interface HoldCallbacks {
  /** A request is waiting: wake the function (called for every request; the owner wakes once). */
  onDemand(): void;
  /** How many requests wait now (for the buffered-requests gauge). */
  onBuffered?(count: number): void;
  /** The first forwarded response after a release was written (the end of a cold start). */
  onFirstResponse?(): void;
}

/**
 * The activator's hold on one zeroed function's HTTP address. While holding, it accepts every
 * connection on the function's port (SO_REUSEPORT, so the function's processor can bind the same
 * port before the hold lets go), reads each request whole (bounded), and keeps it. Once the
 * function is ready, {@link release} stops accepting, so new connections reach the processor,
 * and forwards every kept request to it. Nothing accepted is dropped: a request is answered by
 * the function, or 503 with a JSON body saying why (a failed wake, a full queue, shutdown).
 * Every answer closes its connection, so a client's next request reconnects to the function.
 */
export class FunctionHold {
  private readonly server: Server;
  private readonly waiting: Waiting[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private bytes = 0;
  private mode: 'holding' | 'forwarding' | 'closed' = 'holding';
  private listening = false;
  /** While set, requests are answered 503 with it at once (a wake failed a moment ago). */
  private failure: { message: string; until: number } | undefined;
  private firstResponseSeen = false;

  constructor(
    readonly functionName: string,
    readonly address: { host: string; port: number },
    private readonly limits: HoldLimits,
    private readonly callbacks: HoldCallbacks,
    private readonly logger: Logger,
  ) {
    this.server = createServer({ requestTimeout: limits.waitTimeoutMs + 30_000 }, (req, res) => this.onRequest(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /** Called once, when the first forwarded response after {@link release} was written. */
  set onFirstResponse(callback: () => void) {
    this.callbacks.onFirstResponse = callback;
  }

  get buffered(): number {
    return this.waiting.length;
  }

  get isHolding(): boolean {
    return this.mode === 'holding' && this.listening;
  }

  /** Binds the function's port beside whatever holds it with SO_REUSEPORT; rejects when it cannot (a processor bound without it). */
  async listen(): Promise<void> {
    const { host, port } = this.address;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE'
        ? createError(ErrorCodes.PLUGIN_FAILED, `the activator cannot hold ${host}:${port} for "${this.functionName}": the port is in use by a process that did not bind it with SO_REUSEPORT`)
        : err);
      this.server.once('error', onError);
      this.server.listen({ host, port, reusePort: true }, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.listening = true;
    this.mode = 'holding';
  }

  /** The wake failed: every waiting request is answered 503 with `message`; new ones too for `backoffMs`. */
  failWaiting(message: string, backoffMs: number): void {
    this.failure = { message, until: Date.now() + backoffMs };
    for (const w of this.waiting.splice(0)) this.answer(w, 503, message);
    this.updateBytes();
  }

  /** The function is ready: stop accepting, and forward everything kept (and anything that comes on connections already open). */
  async release(target: { host: string; port: number }): Promise<void> {
    this.mode = 'forwarding';
    this.target = target;
    this.stopListening();
    const kept = this.waiting.splice(0);
    this.updateBytes();
    await Promise.all(kept.map((w) => this.forward(w)));
  }

  /** Shutdown: stop accepting, answer every waiting request 503 with `message`, and close the connections once answered. */
  async close(message: string): Promise<void> {
    this.mode = 'closed';
    this.stopListening();
    for (const w of this.waiting.splice(0)) this.answer(w, 503, message);
    this.updateBytes();
    // Connections whose request was answered close themselves (connection: close); idle ones go now.
    this.server.closeIdleConnections();
    this.agent.destroy();
  }

  private target: { host: string; port: number } | undefined;

  /**
   * Closes the listening socket at once. Not awaiting `close`'s callback, which comes only once
   * every connection ended: the connections of held requests stay open until they are answered.
   */
  private stopListening(): void {
    if (!this.listening) return;
    this.listening = false;
    this.server.close();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('connection', 'close');
    if (this.mode === 'closed') return this.reply(res, 503, `the activator of "${this.functionName}" is shutting down; retry`);
    const failure = this.failure && this.failure.until > Date.now() ? this.failure : undefined;
    if (this.mode === 'holding' && failure) return void this.drainAndReply(req, res, 503, failure.message);
    if (this.mode === 'holding' && this.waiting.length >= this.limits.maxRequests) {
      return void this.drainAndReply(req, res, 503, `the activator of "${this.functionName}" already holds ${this.limits.maxRequests} requests waiting for it to wake; retry`);
    }
    void this.readBody(req).then((body) => {
      if (body === 'too-large') return this.reply(res, 413, `request body over ${this.limits.maxBodyBytes} bytes, the most the activator keeps while "${this.functionName}" wakes`);
      if (body === 'aborted') return;
      const timer = setTimeout(() => this.expire(w), this.limits.waitTimeoutMs);
      const w: Waiting = { req, res, body, timer };
      if (this.mode === 'forwarding') return void this.forward(w);
      if (this.mode === 'closed') return this.answer(w, 503, `the activator of "${this.functionName}" is shutting down; retry`);
      if (this.bytes + body.length > this.limits.maxBytes) {
        return this.answer(w, 503, `the activator of "${this.functionName}" already holds ${this.bytes} bytes of requests waiting for it to wake; retry`);
      }
      this.waiting.push(w);
      this.updateBytes();
      this.callbacks.onDemand();
    });
  }

  /** The whole body, up to the limit; 'aborted' when the client went away first. */
  private readBody(req: IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
    return new Promise((resolve) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > this.limits.maxBodyBytes) {
        req.resume();
        return resolve('too-large');
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.limits.maxBodyBytes) {
          req.removeAllListeners('data');
          req.resume();
          resolve('too-large');
        } else {
          chunks.push(chunk);
        }
      });
      req.once('end', () => resolve(Buffer.concat(chunks, size)));
      req.once('aborted', () => resolve('aborted'));
      req.once('error', () => resolve('aborted'));
    });
  }

  private forward(w: Waiting): Promise<void> {
    const target = this.target!;
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(w.req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers['content-length'] = String(w.body.length);
    return new Promise((resolve) => {
      const upstream = request({ host: target.host, port: target.port, method: w.req.method, path: w.req.url, headers, agent: this.agent }, (reply) => {
        clearTimeout(w.timer);
        const out: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(reply.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
        }
        out.connection = 'close';
        if (!w.res.headersSent) w.res.writeHead(reply.statusCode ?? 502, out);
        reply.pipe(w.res);
        reply.once('end', () => {
          if (!this.firstResponseSeen) {
            this.firstResponseSeen = true;
            this.callbacks.onFirstResponse?.();
          }
          resolve();
        });
        reply.once('error', () => {
          w.res.destroy();
          resolve();
        });
      });
      upstream.once('error', (err) => {
        this.answer(w, 502, `the activator could not forward the request to "${this.functionName}" (${target.host}:${target.port}): ${err.message}`);
        resolve();
      });
      upstream.end(w.body);
    });
  }

  private expire(w: Waiting): void {
    const index = this.waiting.indexOf(w);
    if (index === -1) return;
    this.waiting.splice(index, 1);
    this.updateBytes();
    this.answer(w, 503, `"${this.functionName}" did not wake within ${this.limits.waitTimeoutMs} ms; retry`);
  }

  private answer(w: Waiting, status: number, message: string): void {
    clearTimeout(w.timer);
    this.reply(w.res, status, message);
  }

  private drainAndReply(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
    req.resume();
    this.reply(res, status, message);
  }

  private reply(res: ServerResponse, status: number, message: string): void {
    if (res.headersSent || res.destroyed) return;
    const body = JSON.stringify({ error: message, function: this.functionName });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
    if (status >= 500) this.logger.warnWith('activator answered without the function', { function: this.functionName, status, reason: message });
  }

  private updateBytes(): void {
    this.bytes = this.waiting.reduce((sum, w) => sum + w.body.length, 0);
    this.callbacks.onBuffered?.(this.waiting.length);
  }
}
