import { describe, expect, it } from 'vitest';
import { ErrorCodes, validateFunctionConfig } from '@nucleon/core';
import { noopLogger } from '@nucleon/core/testing';
import { chooseVersion, fatalError, noCommonVersion, parseHello } from './handshake.js';
import { resolveSharing } from './wrapper-runtime.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('handshake', () => {
  it('parseHello reads the fields and defaults maxInFlight to 1 and batching to false', () => {
    expect(parseHello(json({ versions: [1, 2], runtime: 'python', runtimeVersion: '3.12', pid: 9 }))).toEqual({
      versions: [1, 2], runtime: 'python', runtimeVersion: '3.12', pid: 9, maxInFlight: 1, batching: false,
    });
    expect(parseHello(json({ versions: [1], maxInFlight: 8 })).maxInFlight).toBe(8);
    expect(parseHello(json({ versions: [1], batching: true })).batching).toBe(true);
    expect(parseHello(json({ versions: [1], batching: 'yes' })).batching).toBe(false);
  });

  it.each([
    [{ runtime: 'x' }, 'versions'],
    [{ versions: ['1'] }, 'versions'],
    [{ versions: [1], maxInFlight: 0 }, 'maxInFlight'],
    [{ versions: [1], maxInFlight: 1.5 }, 'maxInFlight'],
  ])('parseHello refuses %j with WRAPPER_PROTOCOL', (hello, field) => {
    expect(() => parseHello(json(hello))).toThrow(expect.objectContaining({ code: ErrorCodes.WRAPPER_PROTOCOL, message: expect.stringContaining(field) }));
  });

  it('chooseVersion picks the highest common version, or none', () => {
    expect(chooseVersion([1])).toBe(1);
    expect(chooseVersion([3, 1, 2])).toBe(1);
    expect(chooseVersion([2, 3])).toBeUndefined();
    expect(chooseVersion([])).toBeUndefined();
    expect(noCommonVersion('python', [2, 3])).toBe('no common protocol version: wrapper python speaks [2, 3], this processor speaks [1]');
  });

  it.each([
    ['handler-load', ErrorCodes.HANDLER_LOAD],
    ['handler-not-found', ErrorCodes.HANDLER_NOT_FOUND],
    ['init', ErrorCodes.INIT_CONTEXT_FAILED],
    ['out-of-memory', ErrorCodes.WRAPPER_START],
    ['constructor', ErrorCodes.WRAPPER_START],
    [undefined, ErrorCodes.WRAPPER_START],
  ])('fatalError codes kind %s as %s, with the wrapper\'s message and its stack as cause', (kind, code) => {
    const err = fatalError(json({ kind, message: 'main.py line 3: boom', stack: 'Traceback...' }));
    expect(err).toMatchObject({ code, message: 'main.py line 3: boom' });
    expect((err.cause as Error).stack).toBe('Traceback...');
  });
});

describe('resolveSharing', () => {
  const options = (runtimeAttributes?: Record<string, unknown>) => ({
    function: validateFunctionConfig({ metadata: { name: 'f' }, spec: { runtime: 'python', handler: 'main:handler', runtimeAttributes } }).config,
    functionDir: '/tmp', logger: noopLogger,
  });
  const spec = { name: 'x', launch: () => ({ command: 'x', args: [] }) };

  it('defaults to per-worker; the spec, then the function, then the env can choose', () => {
    expect(resolveSharing(spec, options(), {})).toBe('per-worker');
    expect(resolveSharing({ ...spec, sharing: 'shared' }, options(), {})).toBe('shared');
    expect(resolveSharing(spec, options({ wrapperSharing: 'shared' }), {})).toBe('shared');
    expect(resolveSharing(spec, options({ wrapperSharing: 'shared' }), { NUCLEON_WRAPPER_SHARING: 'per-worker' })).toBe('per-worker');
  });

  it('refuses an unknown value with INVALID_CONFIG naming where it came from', () => {
    expect(() => resolveSharing(spec, options(), { NUCLEON_WRAPPER_SHARING: 'pooled' }))
      .toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG, message: expect.stringContaining('NUCLEON_WRAPPER_SHARING') }));
    expect(() => resolveSharing(spec, options({ wrapperSharing: 2 }), {}))
      .toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG, message: expect.stringContaining('runtimeAttributes') }));
  });
});
