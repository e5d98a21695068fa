import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError } from '../errors.js';
import { Response } from '../response.js';
import { InMemoryLogger, InMemoryPlatform, InMemorySubmitter, createTestEvent, noopLogger } from './index.js';
import { validateFunctionConfig } from '../config/validate.js';

describe('InMemoryLogger', () => {
  it('records every level with structured fields and extra arguments', () => {
    const logger = new InMemoryLogger();
    logger.debug('d');
    logger.info('hello', 'world', 42);
    logger.warnWith('careful', { retries: 3 });
    logger.errorWith('failed', { code: 'X' });
    expect(logger.records).toEqual([
      { level: 'debug', message: 'd', fields: {} },
      { level: 'info', message: 'hello world 42', fields: {} },
      { level: 'warn', message: 'careful', fields: { retries: 3 } },
      { level: 'error', message: 'failed', fields: { code: 'X' } },
    ]);
    expect(logger.messages('warn')).toEqual(['careful']);
    expect(logger.messages()).toHaveLength(4);
  });

  it('child loggers share records and add their fields', () => {
    const root = new InMemoryLogger();
    const child = root.child({ trigger: 'web' }).child({ worker: 1 });
    child.infoWith('ready', { port: 8080 });
    child.error('x');
    expect(root.records).toEqual([
      { level: 'info', message: 'ready', fields: { trigger: 'web', worker: 1, port: 8080 } },
      { level: 'error', message: 'x', fields: { trigger: 'web', worker: 1 } },
    ]);
  });

  it('noopLogger accepts everything', () => {
    expect(() => { noopLogger.info('x'); noopLogger.child({}).errorWith('y', {}); }).not.toThrow();
  });
});

describe('createTestEvent', () => {
  it('fills the Event shape with defaults', () => {
    const e = createTestEvent();
    expect(e).toMatchObject({ body: Buffer.alloc(0), contentType: 'text/plain', headers: {}, fields: {}, method: 'POST', path: '/', url: '/' });
    expect(e.timestamp).toBeInstanceOf(Date);
    expect(e.trigger).toEqual({ kind: 'test', name: 'test' });
  });

  it('gives each event its own id', () => {
    expect(createTestEvent().id).not.toBe(createTestEvent().id);
  });

  it('turns string and object bodies into bytes, objects as JSON', () => {
    expect(createTestEvent({ body: 'hi' }).body.toString()).toBe('hi');
    const json = createTestEvent({ body: { a: 1 } });
    expect(json.body.toString()).toBe('{"a":1}');
    expect(json.contentType).toBe('application/json');
    const bytes = Buffer.from([1, 2]);
    expect(createTestEvent({ body: bytes }).body).toBe(bytes);
  });

  it('takes overrides', () => {
    expect(createTestEvent({ method: 'GET', path: '/x', contentType: 'text/csv' })).toMatchObject({ method: 'GET', path: '/x', contentType: 'text/csv' });
  });
});

describe('InMemorySubmitter', () => {
  it('runs the handler, records events and wraps plain results in a Response', async () => {
    const submitter = new InMemorySubmitter((_ctx, event) => `echo ${event.body.toString()}`);
    const response = await submitter.submit(createTestEvent({ body: 'a' }));
    expect(response).toBeInstanceOf(Response);
    expect(response).toMatchObject({ body: 'echo a', statusCode: 200 });
    expect(submitter.events.map((e) => e.body.toString())).toEqual(['a']);
  });

  it('passes a handler\'s Response through and gives handlers a context', async () => {
    const submitter = new InMemorySubmitter((ctx) => new ctx.Response({ body: 'no', statusCode: 418 }));
    expect(await submitter.submit(createTestEvent())).toMatchObject({ body: 'no', statusCode: 418 });
  });

  it('rejects with HANDLER_FAILED keeping the handler\'s error as cause', async () => {
    const boom = new Error('boom');
    const submitter = new InMemorySubmitter(async () => { throw boom; });
    const err = await submitter.submit(createTestEvent()).catch((e: unknown) => e);
    expect(isNucleonError(err, ErrorCodes.HANDLER_FAILED)).toBe(true);
    expect((err as Error).cause).toBe(boom);
  });
});

describe('InMemoryPlatform', () => {
  const { config } = validateFunctionConfig({ metadata: { name: 'fn' }, spec: { runtime: 'nodejs', handler: 'main:handler' } });

  it('deploys, gets, lists and deletes', async () => {
    const platform = new InMemoryPlatform();
    const status = await platform.deploy({ config, functionDir: '/tmp/fn' });
    expect(status).toMatchObject({ name: 'fn', platform: 'memory', state: 'ready', runtime: 'nodejs', handler: 'main:handler' });
    expect(await platform.get('fn')).toEqual(status);
    expect(await platform.list()).toEqual([status]);
    await platform.delete('fn');
    expect(await platform.get('fn')).toBeUndefined();
  });

  it('refuses to delete or stream logs of an unknown function with FUNCTION_NOT_FOUND', async () => {
    const platform = new InMemoryPlatform();
    await expect(platform.delete('nope')).rejects.toMatchObject({ code: ErrorCodes.FUNCTION_NOT_FOUND });
    const iterate = async () => { for await (const _ of platform.logs('nope')) { /* drain */ } };
    await expect(iterate()).rejects.toMatchObject({ code: ErrorCodes.FUNCTION_NOT_FOUND });
  });

  it('streams the recorded log lines', async () => {
    const platform = new InMemoryPlatform();
    await platform.deploy({ config, functionDir: '/tmp/fn' });
    platform.logLines.set('fn', ['one', 'two']);
    const lines: string[] = [];
    for await (const line of platform.logs('fn')) lines.push(line);
    expect(lines).toEqual(['one', 'two']);
  });
});
