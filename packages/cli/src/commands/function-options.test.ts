import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../errors.js';
import { functionFlags } from './function-options.js';

const cwd = mkdtempSync(join(tmpdir(), 'nucleon-flags-'));
mkdirSync(join(cwd, 'greeter'));
mkdirSync(join(cwd, 'with-yaml'));
writeFileSync(join(cwd, 'with-yaml', 'function.yaml'), 'metadata:\n  name: x\n');
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('functionFlags: nuctl\'s NAME or today\'s path', () => {
  it('takes the argument as the function name when -p is also given', () => {
    expect(functionFlags('my-func', { path: 'f.py' }, cwd)).toMatchObject({ name: 'my-func', path: 'f.py' });
    expect(functionFlags('greeter', { path: 'greeter' }, cwd)).toMatchObject({ name: 'greeter', path: 'greeter' });
  });

  it('keeps `deploy DIR` when the argument is an existing path and no -p is given', () => {
    const flags = functionFlags('greeter', {}, cwd);
    expect(flags).toMatchObject({ path: 'greeter' });
    expect(flags.name).toBeUndefined();
  });

  it('reads a missing argument as a name only when it could be one; else as the (missing) path', () => {
    expect(functionFlags('new-func', { file: 'elsewhere/function.yaml' }, cwd)).toMatchObject({ name: 'new-func' });
    expect(functionFlags('new-func', {}, join(cwd, 'with-yaml'))).toMatchObject({ name: 'new-func' });
    expect(functionFlags('./gone', {}, cwd)).toMatchObject({ path: './gone' });
    expect(functionFlags('Gone.py', {}, cwd)).toMatchObject({ path: 'Gone.py' });
  });

  it('says what is missing for a bare name with no function.yaml to deploy (exit 4)', () => {
    let code = 0;
    try {
      functionFlags('greter', {}, cwd);
    } catch (err) {
      code = exitCodeFor(err);
      expect((err as Error).message).toBe(`no file or folder "greter" here, and no function.yaml in ${cwd} for a function named "greter"; ` +
        'give its code with -p PATH (nuctl\'s form: deploy NAME -p PATH)');
    }
    expect(code).toBe(4);
  });

  it('refuses two different names (exit 2)', () => {
    let code = 0;
    try {
      functionFlags('a', { path: 'x', name: 'b' }, cwd);
    } catch (err) {
      code = exitCodeFor(err);
    }
    expect(code).toBe(2);
  });
});
