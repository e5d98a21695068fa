import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ErrorCodes, type NucleonError } from '@nucleon/core';
import { createTestEvent } from '@nucleon/core/testing';
import { checkNothingLeftBehind, echoRuntime, failure, eventually, isAlive, pidOf, run } from './integration-harness.js';

// One wrapper per worker (the default), against a real wrapper process speaking the protocol.

checkNothingLeftBehind();

describe('starting a wrapper', () => {
  it('passes the NUCLEON_* variables, spec.env and the launch env, runs in the function dir, and relays stdout/stderr and init logs', async () => {
    const h = await echoRuntime();
    const w = await h.worker(2);
    const { env, cwd } = JSON.parse(String((await run(h, w, '/env')).body));
    expect(env).toMatchObject({
      NUCLEON_HANDLER: 'main:handler', NUCLEON_FUNCTION_DIR: h.functionDir, NUCLEON_FUNCTION_NAME: 'echo-fn', NUCLEON_WORKER_ID: '2',
      NUCLEON_TRIGGER_NAME: 'web', NUCLEON_TRIGGER_KIND: 'http', ECHO_TEST_FROM_SPEC: 'spec', ECHO_TEST_FROM_LAUNCH: 'launch',
    });
    expect(env.NUCLEON_WRAPPER_SOCKET).toMatch(/nucleon-wrapper-.*\/wrapper\.sock$/);
    expect(cwd).toBe(h.functionDir);
    const pid = await pidOf(h, w);
    expect(h.logger.records).toEqual(expect.arrayContaining([
      { level: 'info', message: 'echo-wrapper starting, mode ""', fields: { worker: 2, stream: 'stdout', wrapperPid: pid } },
      { level: 'warn', message: 'echo-wrapper stderr line', fields: { worker: 2, stream: 'stderr', wrapperPid: pid } },
      { level: 'info', message: 'init_context ran', fields: { worker: 2, version: 1, workerId: 2 } },
    ]));
  });

  it.each([
    ['handler-load', ErrorCodes.HANDLER_LOAD],
    ['handler-not-found', ErrorCodes.HANDLER_NOT_FOUND],
    ['init', ErrorCodes.INIT_CONTEXT_FAILED],
    ['something-else', ErrorCodes.WRAPPER_START],
  ])('a FATAL of kind %s fails createWorker with %s and the wrapper\'s message', async (kind, code) => {
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_MODE: 'fatal', ECHO_WRAPPER_FATAL_KIND: kind, ECHO_WRAPPER_FATAL_MESSAGE: 'main.py line 3: NameError: x' }) });
    const err = await failure(h.worker());
    expect(err).toMatchObject({ code, message: 'main.py line 3: NameError: x' });
    expect((err.cause as Error).stack).toContain('Traceback');
    expect(h.runtime.wrapperPids()).toEqual([]);
  });

  it('no common version: TERMINATE with a reason and WRAPPER_PROTOCOL naming both sides', async () => {
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_MODE: 'versions', ECHO_WRAPPER_STUBBORN: '1' }) });
    const err = await failure(h.worker());
    expect(err).toMatchObject({ code: ErrorCodes.WRAPPER_PROTOCOL, message: 'no common protocol version: wrapper echo speaks [2, 3], this processor speaks [1]' });
  });

  it('never READY: WRAPPER_START after the start timeout, and the wrapper is killed', async () => {
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_MODE: 'never-ready', ECHO_WRAPPER_STUBBORN: '1' }), spec: { startTimeoutMs: 400 } });
    const started = Date.now();
    const err = await failure(h.worker());
    expect(err).toMatchObject({ code: ErrorCodes.WRAPPER_START, message: expect.stringContaining('did not become ready in 400 ms') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    const pid = Number(h.logger.records.find((r) => r.fields.stream === 'stdout')?.fields.wrapperPid);
    expect(isAlive(pid)).toBe(false);
  });

  it('exit before READY: WRAPPER_START with the exit code and the last stderr lines', async () => {
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_MODE: 'exit-early' }) });
    const err = await failure(h.worker());
    expect(err.code).toBe(ErrorCodes.WRAPPER_START);
    expect(err.message).toMatch(/wrapper echo .* exited with code 2; last stderr lines:\necho-wrapper stderr line\ncannot import handler: no module named main/);
  });

  it('a command that does not exist: WRAPPER_START saying so', async () => {
    const h = await echoRuntime({ spec: { launch: () => ({ command: '/nonexistent/python9', args: [] }) } });
    const err = await failure(h.worker());
    expect(err).toMatchObject({ code: ErrorCodes.WRAPPER_START, message: expect.stringContaining('could not be started (spawn /nonexistent/python9 ENOENT)') });
  });
});

describe('events', () => {
  it('round-trips a binary body byte for byte, with content type, headers and status', async () => {
    const h = await echoRuntime();
    const w = await h.worker();
    for (const body of [Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(3 * 1024 * 1024), Buffer.alloc(0)]) {
      const response = await run(h, w, '/echo', { body, contentType: 'application/x-bin', headers: { 'x-status': '203' } });
      expect(Buffer.isBuffer(response.body)).toBe(true);
      expect((response.body as Buffer).equals(body)).toBe(true);
      expect(response).toMatchObject({ statusCode: 203, contentType: 'application/x-bin', headers: { 'x-echo-method': 'POST' } });
    }
  });

  it('sends the meta docs/protocol.md describes', async () => {
    const h = await echoRuntime();
    const w = await h.worker();
    const event = createTestEvent({
      path: '/meta', url: '/meta?a=1', method: 'PUT', headers: { 'x-a': 'b', 'x-list': ['1', '2'] }, fields: { a: '1' },
      timestamp: new Date(1700000000250), topic: 'orders', shardId: 2, offset: '9', key: Buffer.from('k'),
    });
    const response = await (w.worker.handle(event, w.context) as Promise<{ body: Buffer }>);
    expect(JSON.parse(response.body.toString())).toEqual({
      id: event.id, method: 'PUT', path: '/meta', url: '/meta?a=1', contentType: 'text/plain', headers: { 'x-a': 'b', 'x-list': ['1', '2'] },
      fields: { a: '1' }, timestamp: 1700000000.25, trigger: { kind: 'test', name: 'test' }, topic: 'orders', shardId: 2, offset: '9', key: 'aw==',
    });
  });

  it('ERROR rejects with HANDLER_FAILED naming the exception, keeps the stack as cause, and the wrapper keeps serving', async () => {
    const h = await echoRuntime();
    const w = await h.worker();
    const pid = await pidOf(h, w);
    const err = await failure(run(h, w, '/raise', { body: 'x' }));
    expect(err).toMatchObject({ code: ErrorCodes.HANDLER_FAILED, message: 'handler raised ValueError: bad input: x' });
    expect((err.cause as Error).stack).toContain('File "main.py", line 7');
    expect(await pidOf(h, w)).toBe(pid);
  });

  it('relays LOG frames to the worker\'s logger with the event id, METRIC at debug, ACK to the event\'s ack and onAck', async () => {
    const h = await echoRuntime();
    const w = await h.worker();
    const acked: string[] = [];
    h.runtime.onAck((event) => acked.push(event.path));
    const event = createTestEvent({ path: '/log' });
    await w.worker.handle(event, w.context);
    expect(h.logger.records).toEqual(expect.arrayContaining([
      { level: 'info', message: 'handling', fields: { worker: 0, answer: 42, eventId: event.id } },
      { level: 'warn', message: 'careful', fields: { worker: 0, eventId: event.id } },
      { level: 'error', message: 'oops', fields: { worker: 0, detail: 'x', eventId: event.id } },
    ]));
    await run(h, w, '/metric');
    expect(h.logger.records).toContainEqual(expect.objectContaining({
      level: 'debug', message: 'wrapper metric', fields: expect.objectContaining({ metric: 'items', value: 3, labels: { kind: 'a' } }),
    }));
    let sourceAcks = 0;
    expect(String((await run(h, w, '/ack', { ack: async () => { sourceAcks += 1; } })).body)).toBe('acked');
    expect(acked).toEqual(['/ack']);
    expect(sourceAcks).toBe(1); // the ACK frame reached the record's ack before the RESPONSE settled the event
    await run(h, w, '/ack'); // no ack on the event (HTTP, disable): a warning, and the wrapper keeps serving
    expect(h.logger.records).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('cannot be acknowledged') }));
    expect(String((await run(h, w, '/echo', { body: 'still here' })).body)).toContain('still here');
  });
});

describe('crashes', () => {
  it('kill -9 mid-event: the event fails at once with WRAPPER_CRASHED naming SIGKILL; the next runs on a new wrapper', async () => {
    const h = await echoRuntime();
    const w = await h.worker();
    const pid = await pidOf(h, w);
    const hanging = failure(run(h, w, '/hang'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const err = await hanging;
    expect(Date.now() - killedAt).toBeLessThan(1000);
    expect(err).toMatchObject({ code: ErrorCodes.WRAPPER_CRASHED, message: `wrapper echo (pid ${pid}) was killed by SIGKILL` });
    const next = await pidOf(h, w); // sent while the replacement may still be starting: it waits for READY
    expect(next).not.toBe(pid);
    expect(h.logger.records).toContainEqual(expect.objectContaining({ level: 'error', message: 'wrapper ended; starting a new one' }));
  });

  it('the wrapper exits mid-event: WRAPPER_CRASHED with the exit code, then recovery', async () => {
    const h = await echoRuntime();
    const w = await h.worker();
    const pid = await pidOf(h, w);
    expect(await failure(run(h, w, '/crash'))).toMatchObject({ code: ErrorCodes.WRAPPER_CRASHED, message: `wrapper echo (pid ${pid}) exited with code 3` });
    expect(await pidOf(h, w)).not.toBe(pid);
  });

  it.each([
    ['/garbage', 'frame length'],
    ['/wrong-id', 'RESPONSE for event id'],
  ])('%s: WRAPPER_PROTOCOL is logged with the bytes, the event fails, the wrapper is killed and replaced', async (path, what) => {
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_STUBBORN: '1' }) });
    const w = await h.worker();
    const pid = await pidOf(h, w);
    const err = await failure(run(h, w, path));
    expect(err).toMatchObject({ code: ErrorCodes.WRAPPER_CRASHED, message: expect.stringContaining(`wrapper echo (pid ${pid}) broke the protocol: ${what}`) });
    expect((err.cause as NucleonError).code).toBe(ErrorCodes.WRAPPER_PROTOCOL);
    const logged = h.logger.records.find((r) => r.message === 'wrapper broke the protocol; killing it');
    expect(logged).toMatchObject({ level: 'error', fields: { code: ErrorCodes.WRAPPER_PROTOCOL, wrapperPid: pid, bytes: expect.any(String) } });
    expect(await eventually(() => !isAlive(pid))).toBe(true);
    expect(await pidOf(h, w)).not.toBe(pid);
  });

  it('a wrapper that cannot be restarted fails the waiting events with WRAPPER_START, and recovers once it can', async () => {
    let mode = '';
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_MODE: mode }) });
    const w = await h.worker();
    mode = 'fatal';
    await failure(run(h, w, '/crash'));
    const err = await failure(run(h, w, '/pid'));
    expect(err).toMatchObject({ code: ErrorCodes.WRAPPER_START, message: expect.stringContaining('could not be restarted: main.py line 3') });
    mode = '';
    expect(await eventually(() => h.runtime.wrapperPids().length === 1, 5000)).toBe(true);
    expect(String((await run(h, w, '/echo', { body: 'back' })).body)).toBe('back');
  });

  it('events that wait for a restart give up after the start timeout with WRAPPER_START', async () => {
    let mode = '';
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_MODE: mode }), spec: { startTimeoutMs: 500 } });
    const w = await h.worker();
    mode = 'never-ready';
    await failure(run(h, w, '/crash'));
    const started = Date.now();
    const err = await failure(run(h, w, '/pid'));
    expect(err.code).toBe(ErrorCodes.WRAPPER_START);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
