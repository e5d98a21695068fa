// Experiment (bench/http only): @nucleon/trigger-http's behaviour on fastify 5, so the bench can
// measure what fastify costs inside the processor. Same Event fields, replies and error mapping;
// CORS is accepted as an attribute but not implemented. Imports nothing from the workspace.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';

// Copied from packages/core (error codes) and packages/trigger-http/src/error-responses.ts.
const BODY_TOO_LARGE = 'NUCLEON_ERR_BODY_TOO_LARGE';
const HANDLER_FAILED = 'NUCLEON_ERR_HANDLER_FAILED';
const STATUS_BY_CODE = {
  NUCLEON_ERR_NO_WORKER_AVAILABLE: 503, NUCLEON_ERR_SHUTTING_DOWN: 503, NUCLEON_ERR_EVENT_TIMEOUT: 504,
  NUCLEON_ERR_HANDLER_FAILED: 500, NUCLEON_ERR_INVALID_RESPONSE: 500,
};
const PUBLIC_MESSAGE = {
  500: 'the function failed to handle the request',
  503: 'the function is busy or shutting down; retry later',
  504: 'the function did not answer within its eventTimeout',
};
const identity = (payload) => payload;
const isNucleonError = (err) => err instanceof Error && err.name === 'NucleonError' && typeof err.code === 'string';

const EMPTY = Buffer.alloc(0);
const NO_FIELDS = Object.freeze({});

/** The same fields as HttpEvent (packages/trigger-http/src/request-event.ts). */
class FastifyHttpEvent {
  constructor(request, idPrefix, seq, trigger) {
    const req = request.raw;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.body = request.body ?? EMPTY;
    this.contentType = req.headers['content-type'] ?? '';
    this.headers = req.headers;
    this.fields = q === -1 ? NO_FIELDS : request.query; // fastify already parsed it (fast-querystring)
    this.method = req.method ?? 'GET';
    this.path = q === -1 ? url : url.slice(0, q);
    this.url = url;
    this.trigger = trigger;
    this.idPrefix = idPrefix;
    this.seq = seq;
    this.receivedAt = Date.now();
  }

  get id() { return this.idPrefix + this.seq; }
  get timestamp() { return new Date(this.receivedAt); }
  toJSON() {
    const { body, contentType, headers, fields, method, path, url, trigger } = this;
    return { id: this.id, body, contentType, headers, fields, method, path, url, timestamp: this.timestamp, trigger };
  }
}

function create(options) {
  const attrs = options.config.attributes;
  const { submitter, logger } = options;
  const info = Object.freeze({ kind: options.config.kind, name: options.name });
  const maxBody = attrs.maxRequestBodySize;
  // The processor's NUCLEON_HTTP_PORT/HOST override applies to the built-in `http` kind only.
  const port = process.env.NUCLEON_HTTP_PORT ? Number(process.env.NUCLEON_HTTP_PORT) : attrs.port;
  const host = process.env.NUCLEON_HTTP_HOST || attrs.host;
  const idPrefix = `${randomBytes(4).toString('hex')}-`;
  let nextId = 0;
  let stopping = false;

  const app = Fastify({ logger: false, bodyLimit: maxBody, keepAliveTimeout: 65_000, exposeHeadRoutes: false });
  // Raw bytes for every content type, JSON included: the handler decides what the body means.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, _request, reply) => {
    if (err.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.send(err); // fastify's default reply
    reply.code(413).header('content-type', 'application/json').header('connection', 'close').serializer(identity)
      .send(JSON.stringify({ error: `request body larger than ${maxBody} bytes`, code: BODY_TOO_LARGE, limit: maxBody }));
  });

  function send(reply, response, id) {
    reply.code(response.statusCode).header('content-type', response.contentType);
    const headers = response.headers;
    for (const name in headers) {
      const value = headers[name];
      const lower = name.toLowerCase();
      if (value === undefined || lower === 'content-length') continue;
      reply.header(lower === 'content-type' ? 'content-type' : name, value);
    }
    if (stopping) reply.header('connection', 'close');
    const body = response.body;
    // A string body under a JSON type would get '; charset=utf-8' appended; the node:http trigger
    // sends the type as given.
    if (typeof body === 'string' && response.contentType.includes('json')) reply.serializer(identity);
    try {
      reply.send(body);
    } catch (err) {
      // Invalid header names or values from the handler: a 500, not a crash.
      logger.errorWith('handler returned headers that cannot be sent', { eventId: id, error: err.message });
      for (const name in headers) reply.removeHeader(name);
      sendError(reply, Object.assign(new Error('invalid response headers'), { name: 'NucleonError', code: 'NUCLEON_ERR_INVALID_RESPONSE' }), id);
    }
  }

  function sendError(reply, err, id) {
    if (reply.sent) {
      reply.raw.destroy();
      return;
    }
    const code = isNucleonError(err) ? err.code : HANDLER_FAILED;
    const status = STATUS_BY_CODE[code] ?? 500;
    reply.code(status).header('content-type', 'application/json').serializer(identity);
    if (status === 503 || stopping) reply.header('connection', 'close');
    if (status === 503) reply.header('retry-after', '1');
    reply.send(JSON.stringify({ error: PUBLIC_MESSAGE[status] ?? 'request failed', code, eventId: id }));
  }

  app.all('*', (request, reply) => {
    const event = new FastifyHttpEvent(request, idPrefix, (nextId += 1), info);
    const done = (err, response) => (err ? sendError(reply, err, event.id) : send(reply, response, event.id));
    if (submitter.dispatch) submitter.dispatch(event, done);
    else submitter.submit(event).then((response) => done(undefined, response), done);
  });

  return {
    async start() {
      await app.listen({ port, host });
      logger.infoWith('HTTP trigger (fastify experiment) listening', this.address() ?? {});
    },
    address() {
      const a = app.server.address();
      return a && typeof a === 'object' ? { host: a.address, port: a.port } : undefined;
    },
    async stop(deadlineMs) {
      stopping = true;
      let timer;
      const deadline = new Promise((resolve) => { timer = setTimeout(resolve, deadlineMs); });
      await Promise.race([app.close(), deadline]);
      clearTimeout(timer);
      app.server.closeAllConnections();
    },
  };
}

export default {
  kind: 'trigger',
  name: 'nucleon-bench-trigger-fastify',
  coreRange: '^0.1.0',
  attributes: {
    port: { type: 'integer', minimum: 0, default: 8080, description: 'Port to listen on (0 = any free port)' },
    host: { type: 'string', default: '0.0.0.0', description: 'Address to listen on' },
    maxRequestBodySize: { type: 'integer', minimum: 0, default: 4 * 1024 * 1024, description: 'Largest request body accepted, in bytes; larger bodies get 413' },
    cors: { type: 'object', description: 'Accepted, not implemented in this experiment' },
  },
  defaultWorkers: 1,
  create,
};
