import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts inserts, deletes, substitutions, and a swap of neighbours as one', () => {
    expect(editDistance('python', 'python')).toBe(0);
    expect(editDistance('pyhton', 'python')).toBe(1);
    expect(editDistance('nodej', 'nodejs')).toBe(1);
    expect(editDistance('golnag', 'golang')).toBe(1);
    expect(editDistance('shel', 'shell')).toBe(1);
    expect(editDistance('rust', 'python')).toBe(6);
  });
});

describe('closestMatch', () => {
  const runtimes = ['nodejs', 'node', 'typescript', 'python', 'golang', 'go', 'shell', 'dotnetcore'];

  it('suggests the built-in a typo is closest to', () => {
    expect(closestMatch('pyhton', runtimes)).toBe('python');
    expect(closestMatch('PYTHON', runtimes)).toBe('python');
    expect(closestMatch('typscript', runtimes)).toBe('typescript');
    expect(closestMatch('corn', ['http', 'cron', 'kafka'])).toBe('cron');
  });

  it('suggests nothing for names too far from any (a third-party package, not a typo)', () => {
    expect(closestMatch('my-runtime', runtimes)).toBeUndefined();
    expect(closestMatch('ruby', runtimes)).toBeUndefined();
    expect(closestMatch('ab', ['go'])).toBeUndefined();
  });
});
