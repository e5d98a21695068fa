#!/usr/bin/env node
// A wrapper for tests, in plain Node and with its own frame codec (not the package's), so
// the integration tests exercise a real separate process speaking docs/protocol.md.
//
// Behaviour per event, by path:
//   /echo (and anything else)  RESPONSE with the body as is, content type and x-echo-* headers from the meta
//   /meta      RESPONSE: the EVENT meta as JSON
//   /env       RESPONSE: the NUCLEON_* environment and the working directory, as JSON
//   /pid       RESPONSE: process.pid
//   /sleep     answers after fields.ms milliseconds with "slept <ms>"
//   /raise     ERROR { type: ValueError, message: "bad input: <body>", stack }
//   /hang      never answers
//   /crash     process.exit(3)
//   /garbage   writes junk bytes to the socket
//   /wrong-id  RESPONSE for an id that is not in flight
//   /log       LOG frames for the event (info with fields, warning, error), then RESPONSE
//   /metric    METRIC frame, then RESPONSE
//   /ack       ACK, then RESPONSE
// Start switches (env):
//   ECHO_WRAPPER_MODE=fatal        FATAL { kind: ECHO_WRAPPER_FATAL_KIND, message: ECHO_WRAPPER_FATAL_MESSAGE }, exit 1
//   ECHO_WRAPPER_MODE=versions     HELLO with versions [2, 3]; prints the TERMINATE reason to stderr
//   ECHO_WRAPPER_MODE=never-ready  HELLO, then silence
//   ECHO_WRAPPER_MODE=exit-early   writes to stderr and exits 2 before connecting
//   ECHO_WRAPPER_MODE=no-drain     ignores DRAIN and TERMINATE
//   ECHO_WRAPPER_MAX_IN_FLIGHT=n   HELLO maxInFlight (default 1)
//   ECHO_WRAPPER_CRASH_FILE=path   /crash only crashes while this file exists (for restart tests)
//   ECHO_WRAPPER_STUBBORN=1        stays alive when the socket closes and on TERMINATE: only a kill ends it
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

const T = { HELLO: 1, WELCOME: 2, READY: 3, FATAL: 4, EVENT: 16, RESPONSE: 17, ERROR: 18, LOG: 32, METRIC: 33, ACK: 34, DRAIN: 48, DRAINED: 49, TERMINATE: 50 };
const mode = process.env.ECHO_WRAPPER_MODE ?? '';

function frame(type, id, payload = Buffer.alloc(0)) {
  const out = Buffer.alloc(9 + payload.length);
  out.writeUInt32BE(5 + payload.length, 0);
  out.writeUInt8(type, 4);
  out.writeUInt32BE(id, 5);
  payload.copy(out, 9);
  return out;
}
const json = (type, id, value) => frame(type, id, Buffer.from(JSON.stringify(value)));
function metaBody(type, id, meta, body) {
  const m = Buffer.from(JSON.stringify(meta));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(m.length, 0);
  return frame(type, id, Buffer.concat([len, m, body]));
}

console.log(`echo-wrapper starting, mode "${mode}"`);
console.error('echo-wrapper stderr line');
if (mode === 'exit-early') {
  console.error('cannot import handler: no module named main');
  process.exit(2);
}

const socket = connect(process.env.NUCLEON_WRAPPER_SOCKET);
const send = (buf) => socket.write(buf);
const inFlight = new Set();
let draining = false;
let buffered = Buffer.alloc(0);

socket.on('connect', () => {
  const versions = mode === 'versions' ? [2, 3] : [1];
  const maxInFlight = Number(process.env.ECHO_WRAPPER_MAX_IN_FLIGHT ?? 1);
  send(json(T.HELLO, 0, { versions, runtime: 'echo', runtimeVersion: process.version, pid: process.pid, maxInFlight }));
});
socket.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
    const length = buffered.readUInt32BE(0);
    const type = buffered[4];
    const id = buffered.readUInt32BE(5);
    const payload = buffered.subarray(9, 4 + length);
    buffered = buffered.subarray(4 + length);
    onFrame(type, id, payload);
  }
});
const stubborn = process.env.ECHO_WRAPPER_STUBBORN === '1';
if (stubborn) setInterval(() => undefined, 1000);
socket.on('close', () => stubborn || process.exit(0));
socket.on('error', () => stubborn || process.exit(0));

function onFrame(type, id, payload) {
  if (type === T.WELCOME) {
    const welcome = JSON.parse(payload.toString());
    if (mode === 'never-ready') return;
    if (mode === 'fatal') {
      send(json(T.FATAL, 0, {
        kind: process.env.ECHO_WRAPPER_FATAL_KIND ?? 'handler-load',
        message: process.env.ECHO_WRAPPER_FATAL_MESSAGE ?? 'main.py line 3: SyntaxError: invalid syntax',
        stack: 'Traceback (most recent call last):\n  File "main.py", line 3',
      }));
      setTimeout(() => process.exit(1), 20);
      return;
    }
    send(json(T.LOG, 0, { level: 'info', message: 'init_context ran', with: { version: welcome.version, workerId: welcome.workerId } }));
    send(json(T.READY, 0, {}));
  } else if (type === T.TERMINATE) {
    const { reason } = JSON.parse(payload.toString() || '{}');
    console.error(`terminate: ${reason}`);
    if (mode !== 'no-drain' && !stubborn) process.exit(0);
  } else if (type === T.DRAIN) {
    if (mode === 'no-drain') return;
    draining = true;
    maybeDrained();
  } else if (type === T.EVENT) {
    inFlight.add(id);
    void handle(id, payload).finally(() => {
      inFlight.delete(id);
      maybeDrained();
    });
  }
}

function maybeDrained() {
  if (draining && inFlight.size === 0) send(frame(T.DRAINED, 0));
}

async function handle(id, payload) {
  const metaLength = payload.readUInt32BE(0);
  const meta = JSON.parse(payload.subarray(4, 4 + metaLength).toString());
  const body = payload.subarray(4 + metaLength);
  const reply = (value, contentType = 'text/plain; charset=utf-8', headers = {}, statusCode = 200) =>
    send(metaBody(T.RESPONSE, id, { statusCode, contentType, headers }, Buffer.isBuffer(value) ? value : Buffer.from(String(value))));
  switch (meta.path) {
    case '/meta': return reply(JSON.stringify(meta), 'application/json');
    case '/env': {
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('NUCLEON_') || k.startsWith('ECHO_TEST_')));
      return reply(JSON.stringify({ env, cwd: process.cwd() }), 'application/json');
    }
    case '/pid': return reply(String(process.pid));
    case '/sleep': {
      const ms = Number(meta.fields.ms ?? 0);
      await new Promise((resolve) => setTimeout(resolve, ms));
      return reply(`slept ${ms}`);
    }
    case '/raise':
      return send(json(T.ERROR, id, { type: 'ValueError', message: `bad input: ${body.toString()}`, stack: 'Traceback (most recent call last):\n  File "main.py", line 7, in handler\nValueError: bad input' }));
    case '/hang': return new Promise(() => undefined);
    case '/crash':
      if (!process.env.ECHO_WRAPPER_CRASH_FILE || existsSync(process.env.ECHO_WRAPPER_CRASH_FILE)) process.exit(3);
      return reply('did not crash');
    case '/garbage': return send(Buffer.from('this is not a frame, it is garbage\n'));
    case '/wrong-id': return send(metaBody(T.RESPONSE, id + 1000, {}, Buffer.alloc(0)));
    case '/log':
      send(json(T.LOG, id, { level: 'info', message: 'handling', with: { answer: 42 } }));
      send(json(T.LOG, id, { level: 'warning', message: 'careful' }));
      send(json(T.LOG, id, { level: 'error', message: 'oops', with: { detail: 'x' } }));
      return reply('logged');
    case '/metric':
      send(json(T.METRIC, id, { name: 'items', value: 3, labels: { kind: 'a' } }));
      return reply('measured');
    case '/ack':
      send(json(T.ACK, id, {}));
      return reply('acked');
    default:
      return reply(body, meta.contentType, { 'x-echo-method': meta.method, 'x-echo-id': meta.id }, Number(meta.headers['x-status'] ?? 200));
  }
}
