import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError, type NucleonError } from '../errors.js';
import { expandsPast, parseFunctionConfigText } from './parse.js';

function thrown(fn: () => unknown): NucleonError {
  try {
    fn();
  } catch (err) {
    if (isNucleonError(err)) return err;
    throw err;
  }
  throw new Error('expected a NucleonError');
}

/** A function.yaml with `keys` annotations, about 100 bytes each (the issue's 10 MB file had 90k). */
function annotated(keys: number): string {
  const lines = ['apiVersion: nuclio.io/v1', 'metadata:', '  name: big', '  annotations:'];
  const pad = 'x'.repeat(60);
  for (let i = 0; i < keys; i++) lines.push(`    key-${i}: "value ${i} ${pad}"`);
  lines.push('spec:', '  runtime: nodejs', '');
  return lines.join('\n');
}

function millisToParse(text: string): number {
  const start = performance.now();
  parseFunctionConfigText(text, 'big.yaml', { maxBytes: 64 * 1024 * 1024 });
  return performance.now() - start;
}

describe('parseFunctionConfigText: time and size', () => {
  it('takes time linear in the number of keys (4x the keys within 6x the time)', () => {
    const small = annotated(5_000);
    const large = annotated(20_000);
    millisToParse(annotated(1_000)); // warm the JIT
    // Best of five, interleaved: a loaded machine slows single runs, never all of them.
    let smallMs = Number.POSITIVE_INFINITY;
    let largeMs = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run++) {
      smallMs = Math.min(smallMs, millisToParse(small));
      largeMs = Math.min(largeMs, millisToParse(large));
    }
    // About 3x here; the library's own duplicate-key check (quadratic) gave 12.6x.
    expect(largeMs / smallMs).toBeLessThan(6);
  });

  it('still refuses a duplicate key deep in a large mapping, with its line', () => {
    const text = annotated(20_000).replace('    key-19999:', '    key-7:');
    const err = thrown(() => parseFunctionConfigText(text));
    expect(err.code).toBe(ErrorCodes.CONFIG_PARSE);
    expect(err.details.errors).toEqual([expect.stringMatching(/^line 20004, column 5: Map keys must be unique/)]);
  });

  it('refuses a duplicate key in a flow mapping too', () => {
    expect(thrown(() => parseFunctionConfigText('spec: {runtime: nodejs, runtime: python}\n')).details.errors)
      .toEqual([expect.stringMatching(/^line 1, column 25: Map keys must be unique/)]);
  });

  it('refuses a text over the limit from its length, before parsing (NUCLEON_ERR_CONFIG_TOO_LARGE)', () => {
    const err = thrown(() => parseFunctionConfigText('a: [', 'f.yaml', { maxBytes: 3 }));
    expect(err.code).toBe(ErrorCodes.CONFIG_TOO_LARGE);
    expect(err.message).toBe('f.yaml is 4 bytes, over the 3-byte limit for a function configuration (NUCLEON_MAX_CONFIG_BYTES changes it)');
  });

  it('refuses nested aliases that grow exponentially (billion laughs) as a parse error', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
    const err = thrown(() => parseFunctionConfigText(`${levels.join('\n')}\n`));
    expect(err.code).toBe(ErrorCodes.CONFIG_PARSE);
    expect(err.message).toMatch(/Excessive alias count/);
  });

  it('refuses many aliases of one large node, which would expand past the limit', () => {
    const big = 'x'.repeat(10_000);
    const text = `big: &big "${big}"\nspec:\n  copies: [${Array(50).fill('*big').join(', ')}]\n`;
    const err = thrown(() => parseFunctionConfigText(text, 'f.yaml', { maxBytes: 100_000 }));
    expect(err.code).toBe(ErrorCodes.CONFIG_PARSE);
    expect(err.message).toMatch(/aliases expand it past the 100000-byte limit/);
    // The same document with room for its expansion parses, aliases and all.
    expect((parseFunctionConfigText(text, 'f.yaml', { maxBytes: 2_000_000 }) as { spec: { copies: string[] } }).spec.copies)
      .toHaveLength(50);
  });
});

describe('parse errors never quote the text', () => {
  it('keeps only the words of a message that would quote a line', () => {
    const err = thrown(() => parseFunctionConfigText('spec:\n  description: |hunter2 is the password\n    text\n'));
    expect(err.details.errors).toEqual([
      'line 2, column 17: Block scalar header includes extra characters', 'line 2, column 25: Not a YAML token',
    ]);
    const alias = thrown(() => parseFunctionConfigText('spec:\n  runtime: *hunter2\n'));
    expect(alias.message).not.toContain('hunter2');
    expect(alias.message).toMatch(/Unresolved alias/);
  });
});

describe('parseFunctionConfigText without maxBytes (a text its caller bounded or wrote)', () => {
  it('takes a text over NUCLEON_MAX_CONFIG_BYTES, but still bounds what its aliases expand to', () => {
    process.env.NUCLEON_MAX_CONFIG_BYTES = '1000';
    try {
      const text = JSON.stringify({ spec: { description: 'd'.repeat(5_000) } });
      expect(parseFunctionConfigText(text)).toEqual({ spec: { description: 'd'.repeat(5_000) } });
      const aliased = `a: &a "${'d'.repeat(5_000)}"\nb: [*a, *a]\n`;
      expect(thrown(() => parseFunctionConfigText(aliased)).message).toMatch(/aliases expand it past the 5\d{3}-byte limit/);
    } finally {
      delete process.env.NUCLEON_MAX_CONFIG_BYTES;
    }
  });
});

describe('expandsPast', () => {
  it('counts strings by length, keys by length and every other node as 1', () => {
    const value = { ab: 'cde', f: [1, true, null] }; // 1 (mapping) + 2 + 3 + 1 + 1 (list) + 3 = 11
    expect(expandsPast(value, 11)).toBe(false);
    expect(expandsPast(value, 10)).toBe(true);
  });

  it('counts a shared node once per place it appears, as JSON would write it', () => {
    const shared = 'y'.repeat(100);
    expect(expandsPast([shared, shared, shared], 301)).toBe(false);
    expect(expandsPast([shared, shared, shared], 300)).toBe(true);
  });
});
