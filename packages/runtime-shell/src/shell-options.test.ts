import { describe, expect, it } from 'vitest';
import { ErrorCodes, validateFunctionConfig } from '@nucleon/core';
import { DEFAULT_CONTENT_TYPE, DEFAULT_MAX_RESPONSE_SIZE, readShellOptions, splitArguments } from './shell-options.js';

function config(runtimeAttributes?: Record<string, unknown>, env: Array<{ name: string; value: string }> = []) {
  const { config: validated, warnings } = validateFunctionConfig({
    metadata: { name: 'fn' }, spec: { runtime: 'shell', handler: 'main.sh', runtimeAttributes, env },
  });
  expect(warnings).toEqual([]);
  return validated;
}

describe('readShellOptions', () => {
  it('defaults to no arguments, no headers and Nuclio\'s text/plain content type', () => {
    expect(readShellOptions(config(), {})).toEqual({
      arguments: [], responseHeaders: {}, contentType: DEFAULT_CONTENT_TYPE, allowArgumentsHeader: false, maxResponseSize: DEFAULT_MAX_RESPONSE_SIZE,
    });
  });

  it('reads Nuclio\'s arguments string and responseHeaders, content type taken out of the headers', () => {
    const options = readShellOptions(config({
      arguments: '- -resize  50% fd:1', responseHeaders: { header1: 'value1', 'X-Count': 2, 'Content-Type': 'image/png' },
    }), {});
    expect(options.arguments).toEqual(['-', '-resize', '50%', 'fd:1']);
    expect(options.responseHeaders).toEqual({ header1: 'value1', 'X-Count': 2 });
    expect(options.contentType).toBe('image/png');
  });

  it('matches attribute names case-insensitively, as Nuclio\'s decoder', () => {
    expect(readShellOptions(config({ Arguments: 'a b', ResponseHeaders: { h: 'v' } }), {})).toMatchObject({
      arguments: ['a', 'b'], responseHeaders: { h: 'v' },
    });
  });

  it('takes a list of arguments, so one may contain spaces', () => {
    expect(readShellOptions(config({ arguments: ['one arg', 2] }), {}).arguments).toEqual(['one arg', '2']);
  });

  it('falls back to NUCLEON_SHELL_ARGUMENTS from spec.env, then from the environment', () => {
    expect(readShellOptions(config({}, [{ name: 'NUCLEON_SHELL_ARGUMENTS', value: 'from spec' }]), { NUCLEON_SHELL_ARGUMENTS: 'x' }).arguments)
      .toEqual(['from', 'spec']);
    expect(readShellOptions(config(), { NUCLEON_SHELL_ARGUMENTS: 'from env' }).arguments).toEqual(['from', 'env']);
    expect(readShellOptions(config({ arguments: 'attr' }), { NUCLEON_SHELL_ARGUMENTS: 'from env' }).arguments).toEqual(['attr']);
  });

  it('bounds stdout at 16 MiB unless maxResponseSize says otherwise (0 = no bound)', () => {
    expect(readShellOptions(config(), {}).maxResponseSize).toBe(16 * 1024 * 1024);
    expect(readShellOptions(config({ maxResponseSize: 1024 }), {}).maxResponseSize).toBe(1024);
    expect(readShellOptions(config({ MaxResponseSize: 0 }), {}).maxResponseSize).toBe(0);
    for (const bad of [-1, 1.5, '10MB']) {
      expect(() => readShellOptions(config({ maxResponseSize: bad }), {})).toThrow(/spec\.runtimeAttributes\.maxResponseSize: expected a whole number of bytes/);
    }
  });

  it('reports every invalid attribute at once with its path', () => {
    const err = (() => {
      try {
        readShellOptions(config({ arguments: { a: 1 }, responseHeaders: { good: 'x', bad: { nested: true } }, allowArgumentsHeader: 'yes' }), {});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ code: ErrorCodes.INVALID_CONFIG });
    const message = (err as Error).message;
    expect(message).toContain('spec.runtimeAttributes.arguments:');
    expect(message).toContain('spec.runtimeAttributes.responseHeaders.bad:');
    expect(message).toContain('spec.runtimeAttributes.allowArgumentsHeader:');
    expect(() => readShellOptions(config({ responseHeaders: ['a'] }), {})).toThrow(/responseHeaders: expected a mapping/);
  });
});

describe('splitArguments', () => {
  it('splits on whitespace without any shell parsing', () => {
    expect(splitArguments(` a  "b c" $(x) 'd' `)).toEqual(['a', '"b', 'c"', '$(x)', "'d'"]);
    expect(splitArguments('')).toEqual([]);
  });
});
