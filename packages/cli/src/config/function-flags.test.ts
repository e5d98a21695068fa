import { describe, expect, it } from 'vitest';
import { exitOf } from '../test-helpers/exit-of.js';
import { overridesFrom, parseEnvFlags, parseTriggersFlag, wholeNumber } from './function-flags.js';


describe('parseEnvFlags', () => {
  it('splits NAME=VALUE at the first "=" and keeps empty values', () => {
    expect(parseEnvFlags(['A=1', 'URL=http://x?a=b', 'EMPTY='])).toEqual([
      { name: 'A', value: '1' }, { name: 'URL', value: 'http://x?a=b' }, { name: 'EMPTY', value: '' },
    ]);
  });

  it('refuses an entry without a name or "=" (exit 2)', () => {
    expect(exitOf(() => parseEnvFlags(['NOVALUE']))).toBe(2);
    expect(() => parseEnvFlags(['=x'])).toThrow('-e/--env expects NAME=VALUE, got "=x"');
  });
});

describe('parseTriggersFlag', () => {
  it('parses a JSON object of triggers', () => {
    expect(parseTriggersFlag('{"web":{"kind":"http","attributes":{"port":0}}}')).toEqual({ web: { kind: 'http', attributes: { port: 0 } } });
    expect(parseTriggersFlag(undefined)).toBeUndefined();
  });

  it('refuses invalid JSON with a clear usage error (exit 2)', () => {
    expect(() => parseTriggersFlag('{web:')).toThrow(/^--triggers is not valid JSON \(.+\); expected an object/);
    expect(exitOf(() => parseTriggersFlag('{web:'))).toBe(2);
  });

  it('refuses JSON that is not an object (exit 2)', () => {
    for (const text of ['[]', '"http"', 'null', '3']) expect(exitOf(() => parseTriggersFlag(text))).toBe(2);
  });
});

describe('overridesFrom / wholeNumber', () => {
  it('collects every override', () => {
    expect(overridesFrom({ runtime: 'typescript', handler: 'a:b', env: ['X=1'], name: 'n', readinessTimeout: 5 })).toEqual({
      name: 'n', runtime: 'typescript', handler: 'a:b', env: [{ name: 'X', value: '1' }], triggers: undefined, readinessTimeoutSeconds: 5,
    });
  });

  it('refuses empty runtime or handler and out-of-range numbers', () => {
    expect(exitOf(() => overridesFrom({ runtime: '' }))).toBe(2);
    expect(wholeNumber('--http-port', 0, 65535)('8080')).toBe(8080);
    expect(exitOf(() => wholeNumber('--http-port', 0, 65535)('70000'))).toBe(2);
    expect(() => wholeNumber('--http-port', 0, 65535)('abc')).toThrow('--http-port expects a whole number from 0 to 65535, got "abc"');
  });
});
