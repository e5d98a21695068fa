import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError, type NucleonError } from '../errors.js';
import { parseFunctionConfigText } from './parse.js';

function expectParseError(text: string, source?: string): NucleonError {
  try {
    parseFunctionConfigText(text, source);
  } catch (err) {
    expect(isNucleonError(err, ErrorCodes.CONFIG_PARSE)).toBe(true);
    return err as NucleonError;
  }
  throw new Error('expected parseFunctionConfigText to throw');
}

describe('parseFunctionConfigText', () => {
  it('parses YAML', () => {
    expect(parseFunctionConfigText('metadata:\n  name: fn\nspec:\n  runtime: nodejs\n  env:\n    - name: A\n      value: "1"\n'))
      .toEqual({ metadata: { name: 'fn' }, spec: { runtime: 'nodejs', env: [{ name: 'A', value: '1' }] } });
  });

  it('parses JSON, which is YAML too', () => {
    expect(parseFunctionConfigText('{"metadata": {"name": "fn"}, "spec": {"runtime": "nodejs"}}'))
      .toEqual({ metadata: { name: 'fn' }, spec: { runtime: 'nodejs' } });
  });

  it('returns {} for an empty file', () => {
    expect(parseFunctionConfigText('')).toEqual({});
    expect(parseFunctionConfigText('# only a comment\n')).toEqual({});
  });

  it('reports malformed YAML as NUCLEON_ERR_CONFIG_PARSE with the source and line number', () => {
    const err = expectParseError('metadata:\n  name: fn\nspec:\n  runtime: [nodejs\n  handler: main:handler\n', 'fn/function.yaml');
    expect(err.message).toMatch(/^cannot parse fn\/function\.yaml:/);
    expect(err.message).toMatch(/line \d+, column \d+: /);
    expect(err.details.source).toBe('fn/function.yaml');
  });

  it('points at the line of a tab indentation', () => {
    const err = expectParseError('metadata:\n  name: fn\nspec:\n\truntime: nodejs\n');
    expect(err.details.errors).toEqual([expect.stringMatching(/^line 4, column 1: Tabs are not allowed/)]);
  });

  it('gives the position once per problem', () => {
    const err = expectParseError('a: 1\nb: [\n');
    for (const line of err.details.errors as string[]) expect(line.match(/line \d+/g)).toHaveLength(1);
  });

  it('refuses duplicate keys, naming the line of the second one', () => {
    const err = expectParseError('metadata:\n  name: a\n  name: b\nspec:\n  runtime: nodejs\n');
    expect(err.details.errors).toEqual([expect.stringMatching(/^line 3, column 3: Map keys must be unique/)]);
  });

  it('defaults the source name to function.yaml', () => {
    expect(expectParseError('a: [').message).toMatch(/^cannot parse function\.yaml:/);
  });
});
