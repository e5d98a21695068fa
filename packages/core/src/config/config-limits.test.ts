import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError } from '../errors.js';
import { DEFAULT_MAX_CONFIG_BYTES, maxConfigBytes } from './config-limits.js';

describe('maxConfigBytes', () => {
  it('is 2 MiB unless NUCLEON_MAX_CONFIG_BYTES says otherwise', () => {
    expect(DEFAULT_MAX_CONFIG_BYTES).toBe(2 * 1024 * 1024);
    expect(maxConfigBytes({})).toBe(DEFAULT_MAX_CONFIG_BYTES);
    expect(maxConfigBytes({ NUCLEON_MAX_CONFIG_BYTES: '' })).toBe(DEFAULT_MAX_CONFIG_BYTES);
    expect(maxConfigBytes({ NUCLEON_MAX_CONFIG_BYTES: '20971520' })).toBe(20_971_520);
  });

  it.each(['0', '-1', '1.5', '4MiB', 'lots'])('refuses NUCLEON_MAX_CONFIG_BYTES=%s as a usage error', (value) => {
    let err: unknown;
    try {
      maxConfigBytes({ NUCLEON_MAX_CONFIG_BYTES: value });
    } catch (e) {
      err = e;
    }
    expect(isNucleonError(err, ErrorCodes.USAGE)).toBe(true);
  });
});
