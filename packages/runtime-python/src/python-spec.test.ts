import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { validateFunctionConfig, isNucleonError, ErrorCodes, type RuntimeCreateOptions } from '@nucleon/core';
import { InMemoryLogger, noopLogger } from '@nucleon/core/testing';
import { describe, expect, it } from 'vitest';
import plugin from './index.js';
import { findInterpreter, interpreterCandidates } from './python-interpreter.js';
import { createPythonSpec, DEFAULT_START_TIMEOUT_MS, WRAPPER_DIR, WRAPPER_SCRIPT } from './python-spec.js';

function options(spec: Record<string, unknown> = {}): RuntimeCreateOptions {
  const { config } = validateFunctionConfig({ metadata: { name: 'fn' }, spec: { runtime: 'python:3.11', handler: 'main:handler', ...spec } });
  return { function: config, functionDir: tmpdir(), logger: noopLogger };
}

/** A fake interpreter: a shell script that prints `version` (or fails). */
function fakePython(body: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nucleon-fake-python-')), 'python');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function startError(env: Record<string, string>, spec: Record<string, unknown> = {}): Promise<Error> {
  try {
    await createPythonSpec(env).prepare!(options(spec));
  } catch (err) {
    return err as Error;
  }
  throw new Error('prepare did not fail');
}

describe('the Python runtime plugin', () => {
  it('is a runtime plugin for core ^0.1.0', () => {
    expect(plugin).toMatchObject({ kind: 'runtime', name: '@nucleon/runtime-python', coreRange: '^0.1.0' });
  });

  it('ships the wrapper next to the package code', () => {
    expect(existsSync(WRAPPER_SCRIPT)).toBe(true);
    expect(existsSync(join(WRAPPER_DIR, 'nuclio_sdk', '__init__.py'))).toBe(true);
  });
});

describe('launch', () => {
  it('runs the wrapper unbuffered with the nuclio_sdk shim first on PYTHONPATH', async () => {
    const spec = createPythonSpec({});
    await spec.prepare!(options());
    const launch = spec.launch(options());
    expect(launch.command).toMatch(/python3/);
    expect(launch.args).toEqual(['-u', WRAPPER_SCRIPT]);
    expect(launch.env).toEqual({ PYTHONPATH: WRAPPER_DIR, PYTHONUNBUFFERED: '1' });
  });

  it("keeps the function's own PYTHONPATH and the processor's (a build's pip target) after the shim", () => {
    const launch = createPythonSpec({ PYTHONPATH: `/build/python${delimiter}/opt/libs` }).launch(options({ env: [{ name: 'PYTHONPATH', value: '/opt/libs' }] }));
    expect(launch.env?.PYTHONPATH).toBe(`${WRAPPER_DIR}${delimiter}/opt/libs${delimiter}/build/python`);
    expect(createPythonSpec({ PYTHONPATH: '/from/processor' }).launch(options()).env?.PYTHONPATH).toBe(`${WRAPPER_DIR}${delimiter}/from/processor`);
  });

  it('uses NUCLEON_PYTHON, from spec.env before the environment', async () => {
    const envPython = fakePython('echo 3.12.1');
    const specPython = fakePython('echo 3.10.2');
    const spec = createPythonSpec({ NUCLEON_PYTHON: envPython });
    await spec.prepare!(options());
    expect(spec.launch(options()).command).toBe(envPython);
    const fromSpec = createPythonSpec({ NUCLEON_PYTHON: envPython });
    const withEnv = options({ env: [{ name: 'NUCLEON_PYTHON', value: specPython }] });
    await fromSpec.prepare!(withEnv);
    expect(fromSpec.launch(withEnv).command).toBe(specPython);
  });

  it('logs the interpreter it chose, with a note when spec.runtime asked for another version', async () => {
    const logger = new InMemoryLogger();
    await createPythonSpec({ NUCLEON_PYTHON: fakePython('echo 3.12.1') }).prepare!({ ...options({ runtime: 'python:3.9' }), logger });
    expect(logger.records).toEqual([{ level: 'info', message: 'python interpreter', fields: expect.objectContaining({ version: '3.12.1',
      note: expect.stringContaining('python:3.9') }) }]);
  });

  it('takes the start timeout from NUCLEON_PYTHON_START_TIMEOUT_MS', () => {
    expect(createPythonSpec({}).startTimeoutMs).toBe(DEFAULT_START_TIMEOUT_MS);
    expect(createPythonSpec({ NUCLEON_PYTHON_START_TIMEOUT_MS: '90000' }).startTimeoutMs).toBe(90_000);
    expect(createPythonSpec({ NUCLEON_PYTHON_START_TIMEOUT_MS: 'soon' }).startTimeoutMs).toBe(DEFAULT_START_TIMEOUT_MS);
  });
});

describe('choosing the interpreter', () => {
  it('prefers python3.X for runtime python:3.X, then python3', () => {
    expect(interpreterCandidates('python:3.9', undefined)).toEqual(['python3.9', 'python3']);
    expect(interpreterCandidates('python', undefined)).toEqual(['python3']);
    expect(interpreterCandidates('python:3.9', '/venv/bin/python')).toEqual(['/venv/bin/python']);
  });

  it('skips a candidate that is missing, broken or too old', async () => {
    const good = fakePython('echo 3.11.7');
    expect(await findInterpreter(['/nonexistent/python', fakePython('exit 127'), fakePython('echo 3.8.18'), good]))
      .toEqual({ command: good, version: '3.11.7' });
  });

  it('refuses Python older than 3.9 with NUCLEON_ERR_WRAPPER_START', async () => {
    const err = await startError({ NUCLEON_PYTHON: fakePython('echo 3.8.18') });
    expect(isNucleonError(err, ErrorCodes.WRAPPER_START)).toBe(true);
    expect(err.message).toContain('is Python 3.8.18');
    expect(err.message).toContain('>= 3.9');
  });

  it('refuses a missing interpreter, naming it and NUCLEON_PYTHON', async () => {
    const err = await startError({ NUCLEON_PYTHON: '/nonexistent/python3' });
    expect(isNucleonError(err, ErrorCodes.WRAPPER_START)).toBe(true);
    expect(err.message).toContain('"/nonexistent/python3" is not installed');
    expect(err.message).toContain('NUCLEON_PYTHON');
  });

  it('reports what a broken interpreter printed', async () => {
    const err = await startError({ NUCLEON_PYTHON: fakePython('echo "libpython3.11.so: cannot open" >&2; exit 127') });
    expect(err.message).toContain('libpython3.11.so: cannot open');
  });
});
