import { describe, expect, it } from 'vitest';
import { ErrorCodes, NucleonError, createError, formatProblems, isNucleonError } from './errors.js';

describe('errors', () => {
  it('every code has the NUCLEON_ERR_ prefix and matches its key', () => {
    for (const [key, code] of Object.entries(ErrorCodes)) expect(code).toBe(`NUCLEON_ERR_${key}`);
    expect(new Set(Object.values(ErrorCodes)).size).toBe(Object.keys(ErrorCodes).length);
  });

  it('createError builds a NucleonError with name, code, details and cause', () => {
    const cause = new Error('boom');
    const err = createError(ErrorCodes.PLUGIN_FAILED, 'plugin failed', { cause, details: { plugin: 'p', hook: 'start' } });
    expect(err).toBeInstanceOf(NucleonError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('NucleonError');
    expect(err.code).toBe('NUCLEON_ERR_PLUGIN_FAILED');
    expect(err.message).toBe('plugin failed');
    expect(err.cause).toBe(cause);
    expect(err.details).toEqual({ plugin: 'p', hook: 'start' });
    expect(String(err)).toBe('NucleonError: plugin failed');
  });

  it('has empty details and no cause by default', () => {
    const err = createError(ErrorCodes.USAGE, 'bad flag');
    expect(err.details).toEqual({});
    expect('cause' in err).toBe(false);
  });

  it('isNucleonError matches by code, also across copies of the package', () => {
    const err = createError(ErrorCodes.EVENT_TIMEOUT, 'slow');
    expect(isNucleonError(err)).toBe(true);
    expect(isNucleonError(err, ErrorCodes.EVENT_TIMEOUT)).toBe(true);
    expect(isNucleonError(err, ErrorCodes.HANDLER_FAILED)).toBe(false);
    const foreign = Object.assign(new Error('x'), { name: 'NucleonError', code: 'NUCLEON_ERR_EVENT_TIMEOUT' });
    expect(isNucleonError(foreign, ErrorCodes.EVENT_TIMEOUT)).toBe(true);
    expect(isNucleonError(new Error('x'))).toBe(false);
    expect(isNucleonError({ name: 'NucleonError', code: 'NUCLEON_ERR_USAGE' })).toBe(false);
    expect(isNucleonError(undefined)).toBe(false);
  });

  it('formatProblems writes one problem per line', () => {
    expect(formatProblems([{ path: 'a.b', message: 'bad' }, { path: 'c', message: 'worse' }])).toBe('  - a.b: bad\n  - c: worse');
    expect(formatProblems([])).toBe('');
  });
});
