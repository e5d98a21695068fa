import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createError, ErrorCodes, type RuntimeCreateOptions } from '@nucleon/core';
import type { WrapperLaunch, WrapperRuntimeSpec } from '@nucleon/runtime-wrapper';
import { findInterpreter, interpreterCandidates, type PythonInterpreter } from './python-interpreter.js';

/**
 * The package's `wrapper/` folder (the stdlib-only Python side). `src/` and the bundled
 * `dist/` both sit one level below the package root, so one relative path serves both.
 */
export const WRAPPER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'wrapper');
export const WRAPPER_SCRIPT = join(WRAPPER_DIR, 'nucleon_wrapper.py');

/** HELLO..READY deadline. Longer than the protocol's 10 s default: importing numpy or torch is slow. */
export const DEFAULT_START_TIMEOUT_MS = 30_000;

function specEnv(options: RuntimeCreateOptions): Record<string, string> {
  return Object.fromEntries(options.function.spec.env.map((e) => [e.name, e.value]));
}

/**
 * How the Python wrapper is prepared and launched. `env` is the processor's environment
 * (a parameter for tests). `NUCLEON_PYTHON` picks the interpreter; `NUCLEON_PYTHON_START_TIMEOUT_MS`
 * the start deadline.
 */
export function createPythonSpec(env: NodeJS.ProcessEnv = process.env): WrapperRuntimeSpec {
  let interpreter: PythonInterpreter | undefined;
  const timeout = Number(env.NUCLEON_PYTHON_START_TIMEOUT_MS);
  const candidatesFor = (options: RuntimeCreateOptions): string[] =>
    interpreterCandidates(options.function.spec.runtime, specEnv(options).NUCLEON_PYTHON || env.NUCLEON_PYTHON);

  return {
    name: 'python',
    startTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_START_TIMEOUT_MS,

    async prepare(options) {
      if (!existsSync(WRAPPER_SCRIPT)) {
        throw createError(ErrorCodes.WRAPPER_START, `the Python wrapper is missing at ${WRAPPER_SCRIPT}; reinstall @nucleon/runtime-python`);
      }
      interpreter = await findInterpreter(candidatesFor(options), options.functionDir);
      const wanted = /^python:(\d+\.\d+)/.exec(options.function.spec.runtime)?.[1];
      const running = interpreter.version.split('.').slice(0, 2).join('.');
      options.logger.infoWith('python interpreter', { python: interpreter.command, executable: interpreter.executable, version: interpreter.version, ...(wanted && wanted !== running
        ? { note: `spec.runtime asks for ${options.function.spec.runtime}; set NUCLEON_PYTHON to choose another interpreter` } : {}) });
    },

    launch(options): WrapperLaunch {
      // The function's own PYTHONPATH and the processor's (where a platform put the target of
      // `pip install` build commands) both count: neither may hide the other.
      const paths = [WRAPPER_DIR, specEnv(options).PYTHONPATH, env.PYTHONPATH]
        .flatMap((value) => (value ? value.split(delimiter) : []))
        .filter((path, i, all) => path !== '' && all.indexOf(path) === i);
      return {
        command: interpreter?.executable ?? interpreter?.command ?? candidatesFor(options).at(-1)!,
        args: ['-u', WRAPPER_SCRIPT],
        env: {
          // The wrapper's folder first, so `import nuclio_sdk` finds Nucleon's shim.
          PYTHONPATH: paths.join(delimiter),
          PYTHONUNBUFFERED: '1',
        },
      };
    },
  };
}
