import { describe, expect, it } from 'vitest';
import { fieldPath, MAX_KEY_CHARS, unknownKeyPath } from './field-path.js';

describe('fieldPath', () => {
  it('joins a name-shaped key with a dot, and an index in brackets', () => {
    expect(fieldPath('spec.triggers', 'web')).toBe('spec.triggers.web');
    expect(fieldPath('metadata.annotations', 'nuclio.io/team')).toBe('metadata.annotations.nuclio.io/team');
    expect(fieldPath('', 'spec')).toBe('spec');
    expect(fieldPath('spec.env', 3)).toBe('spec.env[3]');
  });

  it('quotes any other key, escaping quotes, control characters and text-reordering characters', () => {
    expect(fieldPath('spec.triggers', 'my "web" trigger')).toBe('spec.triggers["my \\"web\\" trigger"]');
    expect(fieldPath('spec.triggers', 'a\nb\u001b[31m\u202e')).toBe('spec.triggers["a\\u000ab\\u001b[31m\\u202e"]');
  });

  it(`cuts a key to ${MAX_KEY_CHARS} characters`, () => {
    const long = 'k'.repeat(500);
    expect(fieldPath('spec', long)).toBe(`spec.${'k'.repeat(MAX_KEY_CHARS)}…`);
  });
});

describe('unknownKeyPath', () => {
  it('shows a name-shaped unknown key (a typo), and only the length of any other', () => {
    expect(unknownKeyPath('spec', 'handlr')).toBe('spec.handlr');
    expect(unknownKeyPath('', 'root:$6$salt$hash:19000:0:99999:7::')).toBe('(root)[a key of 35 characters that is not a field name]');
    expect(unknownKeyPath('spec.env[0]', 'a b')).toBe('spec.env[0][a key of 3 characters that is not a field name]');
  });
});
