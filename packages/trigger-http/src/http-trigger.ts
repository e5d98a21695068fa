import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createError, dispatcherOf, ErrorCodes, type Event, type EventCallback, type Logger, type Response, type Trigger, type TriggerCreateOptions, type TriggerInfo } from '@nucleon/core';
import { BodyRefusedError, readBody, type BodyRefusal } from './body-reader.js';
import { ByteBudget } from './byte-budget.js';
import { actualRequestHeaders, corsSettings, isPreflight, preflightResponse, type CorsSettings } from './cors.js';
import { errorReply } from './error-responses.js';
import { EventBatcher } from './event-batcher.js';
import { readHttpLimits, type HttpLimits } from './http-limits.js';
import { HttpEvent, hasBody } from './request-event.js';
import { writeBody } from './response-writer.js';

// Not `import { createServer } from 'node:http'`: an ES import of node:http builds a module
// facade that reads every export, and http.WebSocket & co. are lazy getters loading Node's
// bundled undici, about 60 ms of a function's cold start. require() hands back the plain object.
const { STATUS_CODES, createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

type OutgoingHeaders = Record<string, string | number | string[]>;

/**
 * Responses up to this size fit the socket's kernel buffer on any sane system, so they never
 * wait on a slow client in this process: they are not counted, which keeps the hot path free.
 */
const UNTRACKED_RESPONSE_BYTES = 64 * 1024;

const REFUSAL_CODES: Record<BodyRefusal, string> = {
  'too-large': ErrorCodes.BODY_TOO_LARGE, stalled: ErrorCodes.REQUEST_TIMEOUT, overloaded: ErrorCodes.OVERLOADED,
};

/** How often node:http looks for connections past headersTimeout/requestTimeout: a tenth of the shorter, 50 ms .. 1 s. */
function checkingIntervalMs(limits: HttpLimits): number {
  return Math.min(1000, Math.max(50, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10)));
}

/**
 * Appends a handler header to a flat list that starts with content-type and content-length;
 * a list value becomes repeated headers. A handler's Content-Type replaces the default one;
 * its Content-Length and Transfer-Encoding are ignored, since the body's real length is what gets sent.
 */
function pushHeader(headers: Array<string | number>, name: string, value: string | number | string[] | undefined): void {
  const lower = name.toLowerCase();
  // transfer-encoding too: next to the content-length set here it would frame the reply twice.
  if (lower === 'content-length' || lower === 'transfer-encoding' || value === undefined) return;
  if (lower === 'content-type') headers[1] = String(value);
  else if (Array.isArray(value)) for (const v of value) headers.push(name, v);
  else headers.push(name, value);
}

/**
 * The HTTP trigger, on node:http directly: it turns each request into an Event, submits it
 * to the worker pool and writes the normalised response back. (fastify was measured and
 * left out of the hot path: see docs/http-trigger.md.)
 */
export class HttpTrigger implements Trigger {
  private readonly server: Server;
  /** The pool's callback-style dispatch (or one made from submit), resolved once. */
  private readonly dispatchEvent: (event: Event, done: EventCallback) => void;
  private readonly logger: Logger;
  private readonly info: TriggerInfo;
  private readonly limits: HttpLimits;
  /** Request body bytes held, from their arrival until their request is answered. */
  private readonly requestBytes: ByteBudget;
  /** Bytes of responses written but not yet taken by their clients. */
  private readonly pendingResponses: ByteBudget;
  private readonly cors: CorsSettings | undefined;
  private readonly port: number;
  private readonly host: string;
  private readonly reusePort: boolean;
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  /** Set when the trigger's `batch.mode` is `enable`: requests go to the pool in batches. */
  private readonly batcher: EventBatcher | undefined;
  private nextId = 0;
  private active = 0;
  private stopping = false;
  private onIdle: (() => void) | undefined;

  constructor(options: TriggerCreateOptions) {
    const attrs = options.config.attributes;
    this.dispatchEvent = dispatcherOf(options.submitter);
    this.logger = options.logger;
    this.info = Object.freeze({ kind: options.config.kind, name: options.name });
    this.limits = readHttpLimits(options.name, attrs, options.config.numWorkers ?? 1);
    this.requestBytes = new ByteBudget(this.limits.maxBufferedRequestBytes);
    this.pendingResponses = new ByteBudget(this.limits.maxPendingResponseBytes);
    this.cors = corsSettings(attrs.cors);
    this.port = attrs.port as number;
    this.host = attrs.host as string;
    this.reusePort = attrs.reusePort === true;
    const batch = options.config.batch;
    if (batch?.mode === 'enable') {
      this.batcher = new EventBatcher({
        batchSize: batch.batchSize, timeoutMs: batch.timeoutMs, trigger: this.info, idPrefix: this.idPrefix, dispatch: this.dispatchEvent,
      });
    }
    const { headersTimeoutMs, requestTimeoutMs, maxConnections } = this.limits;
    // node:http answers 408 and closes a connection whose headers or whole request are late.
    this.server = createServer({ headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(this.limits) }, (req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 65_000;
    // Connections past the cap are closed as soon as they are accepted.
    this.server.maxConnections = maxConnections;
    // A client that half-closes after its request (`nc -N`, some HTTP/1.0 tools) still gets the
    // whole response: by default node:http would end the socket at once, cutting a response
    // written piece by piece (writeBody) or one whose handler is still running. The switch is
    // node:http's own, untyped (https sets it); a test here catches it going away.
    (this.server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    // Without this listener node:http answers `100 Continue` before anyone looked at the request.
    this.server.on('checkContinue', (req, res) => this.onExpectContinue(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE' ? new Error(`port ${this.port} on ${this.host} is already in use`) : err);
      });
      this.server.listen({ port: this.port, host: this.host, reusePort: this.reusePort }, () => resolve());
    });
    this.logger.infoWith('HTTP trigger listening', this.address() ?? {});
  }

  address(): { host: string; port: number } | undefined {
    const info = this.server.address() as AddressInfo | null;
    return info ? { host: info.address, port: info.port } : undefined;
  }

  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    this.batcher?.flush();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    if (this.active > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.server.closeAllConnections();
    await closed;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.active += 1;
    if (this.cors && isPreflight(req)) {
      const { status, headers } = preflightResponse(this.cors, req);
      res.writeHead(status, headers).end();
      this.requestDone();
      return;
    }
    if (this.pendingResponses.spent) {
      this.refuse(req, res, 503, ErrorCodes.OVERLOADED, this.pendingResponses.limit,
        `the function's responses are waiting on clients that read slowly (more than ${this.pendingResponses.limit} bytes, maxPendingResponseBytes); retry later`);
      return;
    }
    const seq = (this.nextId += 1);
    if (!hasBody(req)) {
      this.dispatch(req, res, seq, undefined);
      return;
    }
    readBody(req, { limit: this.limits.maxBody, idleMs: this.limits.bodyIdleTimeoutMs, budget: this.requestBytes }).then(
      (body) => {
        // The body is the event's until the request is answered (or its client goes away).
        if (body.length > 0) res.once('close', () => this.requestBytes.give(body.length));
        this.dispatch(req, res, seq, body);
      },
      (err: unknown) => this.rejectBody(req, res, err),
    );
  }

  /**
   * `Expect: 100-continue`: a body that would be refused is refused before the client sends
   * it, with no `100 Continue` first; otherwise the client is told to go on.
   */
  private onExpectContinue(req: IncomingMessage, res: ServerResponse): void {
    const declared = Number(req.headers['content-length']);
    if (declared > this.limits.maxBody) {
      this.active += 1;
      this.refuse(req, res, 413, ErrorCodes.BODY_TOO_LARGE, this.limits.maxBody, `request body larger than ${this.limits.maxBody} bytes`);
      return;
    }
    // Refused for slow clients' responses too (in onRequest), then also without `100 Continue`.
    if (!this.pendingResponses.spent) res.writeContinue();
    this.onRequest(req, res);
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, seq: number, body: Buffer | undefined): void {
    const event = new HttpEvent(req, body, this.idPrefix, seq, this.info);
    const reply: EventCallback = (err, response) => {
      if (err) this.sendError(req, res, err, event.id);
      else this.send(req, res, response as Response, event);
      this.requestDone();
    };
    if (this.batcher) this.batcher.add(event, reply);
    else this.dispatchEvent(event, reply);
  }

  /** Writes a handler's response; the event's id is only built if something goes wrong. */
  private send(req: IncomingMessage, res: ServerResponse, response: Response, event: HttpEvent): void {
    const body = response.body as string | Buffer;
    // A flat [name, value, ...] list is the cheapest form writeHead takes. content-length is
    // set here because writeHead() fixes the headers: without it every reply would be chunked.
    const headers: Array<string | number> = [
      'content-type', response.contentType as string,
      'content-length', typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    ];
    for (const name in response.headers) pushHeader(headers, name, response.headers[name]);
    if (this.cors) for (const [name, value] of Object.entries(actualRequestHeaders(this.cors, req.headers.origin))) headers.push(name, value);
    if (this.stopping) headers.push('connection', 'close');
    try {
      res.writeHead(response.statusCode, headers as unknown as OutgoingHeaders);
    } catch (err) {
      // Invalid header names or values from the handler: a 500, not a crash.
      this.logger.errorWith('handler returned headers that cannot be sent', { eventId: event.id, error: (err as Error).message });
      this.sendError(req, res, createError(ErrorCodes.INVALID_RESPONSE, 'invalid response headers', { cause: err }), event.id);
      return;
    }
    if ((headers[3] as number) > UNTRACKED_RESPONSE_BYTES) this.trackPending(res, headers[3] as number);
    writeBody(res, body);
  }

  /**
   * Counts a large response's bytes as pending until it is done (or its connection closes),
   * and closes its connection if the client takes nothing for responseIdleTimeout. (After the
   * response, node:http sets the socket's keep-alive timeout in place of this one.)
   */
  private trackPending(res: ServerResponse, bytes: number): void {
    this.pendingResponses.take(bytes);
    res.once('close', () => this.pendingResponses.give(bytes));
    // A 'timeout' listener of our own: node:http leaves a timed-out socket open when its
    // response is still being written.
    res.setTimeout(this.limits.responseIdleTimeoutMs, () => res.destroy());
  }

  private sendError(req: IncomingMessage, res: ServerResponse, err: unknown, id: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const { status, body } = errorReply(err, id);
    const headers: OutgoingHeaders = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (this.cors) Object.assign(headers, actualRequestHeaders(this.cors, req.headers.origin));
    if (status === 503 || this.stopping) headers.connection = 'close';
    if (status === 503) headers['retry-after'] = '1';
    // The reason phrase is given because a failed writeHead() may already have set "OK".
    res.writeHead(status, STATUS_CODES[status], headers).end(body);
  }

  private rejectBody(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (!(err instanceof BodyRefusedError)) {
      this.logger.warnWith('request body could not be read', { error: (err as Error).message });
      res.destroy();
      this.requestDone();
      return;
    }
    this.refuse(req, res, err.status, REFUSAL_CODES[err.reason], err.limit, err.message);
  }

  /**
   * Answers a request the trigger will not run, with a coded JSON body, and closes the
   * connection once the answer is out: the rest of its body is never read.
   */
  private refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, limit: number, message: string): void {
    const headers: OutgoingHeaders = { 'content-type': 'application/json', connection: 'close' };
    if (status === 503) headers['retry-after'] = '1';
    if (this.cors) Object.assign(headers, actualRequestHeaders(this.cors, req.headers.origin));
    res.writeHead(status, STATUS_CODES[status], headers).end(JSON.stringify({ error: message, code, limit }));
    res.once('finish', () => req.socket?.destroy());
    this.requestDone();
  }

  private requestDone(): void {
    this.active -= 1;
    if (this.active === 0 && this.onIdle) this.onIdle();
  }
}

export function createHttpTrigger(options: TriggerCreateOptions): HttpTrigger {
  return new HttpTrigger(options);
}
