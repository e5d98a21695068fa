import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WRAPPER_DIR } from './python-spec.js';

// The Python side's own tests (wrapper/tests: frame codec, shared test vectors, nuclio_sdk
// shim, handler loading, the wrapper process against a fake processor) run here so CI counts them.

describe('the Python wrapper', () => {
  it('passes its unittest suite', () => {
    const python = process.env.NUCLEON_PYTHON || 'python3';
    const run = spawnSync(python, ['-B', '-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
      cwd: WRAPPER_DIR, encoding: 'utf8', timeout: 120_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.error, output).toBeUndefined();
    expect(run.status, output).toBe(0);
    const ran = Number(/Ran (\d+) tests?/.exec(output)?.[1]);
    expect(ran, output).toBeGreaterThanOrEqual(70);
  }, 130_000);

  it('is valid Python 3.9 syntax throughout', () => {
    const check = [
      'import ast, pathlib, sys',
      'for path in sorted(pathlib.Path(".").rglob("*.py")):',
      '    ast.parse(path.read_text(), str(path), feature_version=(3, 9))',
      'print("ok")',
    ].join('\n');
    const run = spawnSync(process.env.NUCLEON_PYTHON || 'python3', ['-B', '-c', check], { cwd: WRAPPER_DIR, encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`.trim()).toBe('ok');
  });
});
