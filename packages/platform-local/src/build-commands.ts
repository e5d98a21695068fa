import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { createError, ErrorCodes, type FunctionConfig } from '@nucleon/core';
import { buildHash } from './build-hash.js';
import { interrupted } from './deploy-interrupted.js';
import { descendants } from './process-group.js';

/** How much of a failing command's output its error carries. */
const OUTPUT_TAIL_LINES = 30;
/** A build command running longer than this fails the deploy (a bound, not a target). */
const COMMAND_TIMEOUT_MS = 10 * 60_000;
const COMPLETE_MARKER = '.complete';

/** A finished build: where the processor runs the function from, and the env that finds what it installed. */
export interface PreparedBuild {
  /** The copy of the code the commands ran in; the processor's function directory. */
  codeDir: string;
  /** The build's folder under `<function>/builds/`. */
  buildDir: string;
}

/**
 * Runs `spec.build.commands` in `<functionStateDir>/builds/<hash>/code`, a copy of the code, as
 * Nuclio runs them in the image: `npm install -g x` lands in `<build>/npm-global` (on NODE_PATH),
 * `pip install x` in `<build>/python` (PIP_TARGET, on PYTHONPATH), `npm install x` in the copy's
 * own node_modules. A build with the same commands and code is reused unless `spec.build.noCache`.
 * A failing command throws NUCLEON_ERR_BUILD_FAILED with its exit code and output tail and
 * removes the build folder.
 */
export async function prepareBuild(
  config: FunctionConfig, functionDir: string, functionStateDir: string, progress: (message: string) => void,
  signal?: AbortSignal,
): Promise<PreparedBuild> {
  const { commands } = config.spec.build;
  const hash = await buildHash(commands, functionDir);
  const { noCache } = config.spec.build;
  // A no-cache build gets a folder of its own: the running deployment may use the cached one.
  const buildDir = join(functionStateDir, 'builds', noCache ? `${hash}-${Date.now().toString(36)}` : hash);
  const codeDir = join(buildDir, 'code');
  if (!noCache && (await exists(join(buildDir, COMPLETE_MARKER)))) {
    progress(`using cached build ${hash}`);
    return { codeDir, buildDir };
  }
  await rm(buildDir, { recursive: true, force: true });
  await mkdir(buildDir, { recursive: true });
  await cp(functionDir, codeDir, { recursive: true });
  // npm installs into the nearest folder above with a package.json or node_modules (a stray
  // ~/node_modules would do); one here keeps `npm install x` inside the build.
  if (!(await exists(join(codeDir, 'package.json')))) {
    await writeFile(join(codeDir, 'package.json'), `${JSON.stringify({ name: `${config.metadata.name}-build`, private: true }, null, 2)}\n`);
  }
  const commandEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const { name, value } of config.spec.env) commandEnv[name] = value;
  prependPaths(commandEnv, buildPathPrefixes(buildDir));
  Object.assign(commandEnv, {
    npm_config_prefix: join(buildDir, 'npm-global'),
    PIP_TARGET: join(buildDir, 'python'),
    // pip refuses to write a --target inside an "externally managed" Python without this.
    PIP_BREAK_SYSTEM_PACKAGES: '1',
  });
  try {
    for (const [i, command] of commands.entries()) {
      progress(`running build command ${i + 1}/${commands.length}: ${command}`);
      const { code, output } = await runCommand(command, codeDir, commandEnv, signal);
      if (signal?.aborted) throw interrupted(config.metadata.name, undefined, `during build command ${i + 1}/${commands.length}`);
      if (code !== 0) {
        const tail = output.split('\n').filter((l) => l !== '').slice(-OUTPUT_TAIL_LINES).join('\n');
        throw createError(ErrorCodes.BUILD_FAILED,
          `build command ${i + 1}/${commands.length} of "${config.metadata.name}" failed with exit code ${code}: ${command}` +
          (tail ? `\n${tail}` : ''),
          { details: { command, exitCode: code, outputTail: tail } });
      }
    }
  } catch (err) {
    await rm(buildDir, { recursive: true, force: true });
    throw err;
  }
  await writeFile(join(buildDir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  return { codeDir, buildDir };
}

/** Removes every build of the function except `keep` (the one the running processor uses). */
export async function pruneBuilds(functionStateDir: string, keep: string | undefined): Promise<void> {
  const root = join(functionStateDir, 'builds');
  const entries = await readdir(root).catch(() => [] as string[]);
  await Promise.all(entries.filter((e) => join(root, e) !== keep).map((e) => rm(join(root, e), { recursive: true, force: true })));
}

/**
 * What a build adds in front of NODE_PATH, PYTHONPATH and PATH, for its commands and for the
 * processor, so `npm install -g` and `pip install` results resolve from the handler.
 */
export function buildPathPrefixes(buildDir: string): Record<string, string> {
  return {
    NODE_PATH: join(buildDir, 'npm-global', 'lib', 'node_modules'),
    PYTHONPATH: join(buildDir, 'python'),
    PATH: [join(buildDir, 'npm-global', 'bin'), join(buildDir, 'python', 'bin')].join(delimiter),
  };
}

/** Puts each prefix in front of the variable's current value in `env`. */
export function prependPaths(env: NodeJS.ProcessEnv, prefixes: Readonly<Record<string, string>>): void {
  for (const [name, prefix] of Object.entries(prefixes)) env[name] = env[name] ? `${prefix}${delimiter}${env[name]}` : prefix;
}

/**
 * `sh -c command`, stdout and stderr together (the last 64 KiB kept). After the bound, or when
 * `signal` aborts, the shell and every process it started (npm, pip, sleep) are killed, so none
 * keeps the build waiting. The command stays in the CLI's process group: Ctrl-C at a terminal
 * reaches it too.
 */
function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-65_536);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const killTree = (): void => {
      if (!child.pid) return;
      for (const pid of [child.pid, ...descendants(child.pid)]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    const timer = setTimeout(() => {
      output += `\n(killed after ${COMMAND_TIMEOUT_MS / 1000} s)`;
      killTree();
    }, COMMAND_TIMEOUT_MS);
    signal?.addEventListener('abort', killTree, { once: true });
    const done = (result: { code: number; output: string }): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', killTree);
      resolve(result);
    };
    child.once('error', (err) => done({ code: 127, output: `${output}\n${err.message}` }));
    child.once('close', (code, sig) => done({ code: code ?? (sig ? 128 : 1), output }));
  });
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}
