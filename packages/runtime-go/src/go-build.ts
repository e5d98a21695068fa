import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createError, ErrorCodes, type Logger } from '@nucleon/core';
import {
  buildKey, generatedMain, modulePath, NUCLIO_LOGGER_MODULE, NUCLIO_SDK_MODULE, pinnedVersion, readFunctionFiles,
  readWrapperFiles, requiredVersion, compareModuleVersions, WRAPPER_DIR, type SourceFile,
} from './build-sources.js';
import { runGo, type GoCommandResult } from './go-command.js';
import type { GoHandlerSymbols } from './handler-symbols.js';

export interface GoBuildOptions {
  functionDir: string;
  symbols: GoHandlerSymbols;
  logger: Logger;
  /** Where built binaries are kept; default `${XDG_CACHE_HOME:-~/.cache}/nucleon/go`. */
  cacheRoot: string;
  /** Deadline for the whole build (module download included). */
  timeoutMs: number;
  /** The `go` executable; default `go` from PATH. */
  go?: string;
  env?: NodeJS.ProcessEnv;
  wrapperDir?: string;
}

export interface GoBuildResult {
  binary: string;
  cached: boolean;
  durationMs: number;
  key: string;
}

/** The package directory the wrapper is copied to inside the build; unlikely to clash with user packages. */
const WRAPPER_PACKAGE = 'nucleonwrapper';
const GENERATED_MAIN = 'zz_nucleon_main.go';
const DEFAULT_MODULE = 'nucleon.local/function';

/** `${XDG_CACHE_HOME:-~/.cache}/nucleon/go`, or NUCLEON_GO_CACHE_DIR when set. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NUCLEON_GO_CACHE_DIR) return env.NUCLEON_GO_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nucleon', 'go');
}

function buildError(message: string, details: Record<string, unknown> = {}): Error {
  return createError(ErrorCodes.RUNTIME_BUILD, message, { details: { plugin: '@nucleon/runtime-go', ...details } });
}

/**
 * Compiles the function's package main together with the wrapper into one binary, keyed by
 * a hash of everything that goes into it; an existing binary for the same key is reused.
 * Builds happen in a private temp directory renamed into place, so processors starting at
 * once never see a half-written build.
 */
export async function buildGoHandler(options: GoBuildOptions): Promise<GoBuildResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    GOTOOLCHAIN: 'local',
    GOWORK: 'off',
    GOFLAGS: `${(options.env ?? process.env).GOFLAGS ?? ''} -mod=mod`.trim(),
  };
  const go = (args: string[], cwd: string): Promise<GoCommandResult> =>
    runGo(args, { cwd, env, timeoutMs: Math.max(1, deadline - Date.now()), go: options.go });

  const toolchain = await go(['env', 'GOVERSION', 'GOOS', 'GOARCH', 'CGO_ENABLED'], options.functionDir);
  if (toolchain.spawnError) {
    throw buildError(toolchain.spawnError.code === 'ENOENT'
      ? `the Go toolchain ("${options.go ?? 'go'}") is not on PATH; install Go 1.21 or newer to run runtime: golang functions`
      : `cannot run the Go toolchain: ${toolchain.spawnError.message}`);
  }
  if (toolchain.code !== 0) throw buildError(`go env failed:\n${toolchain.output}`);

  const [functionFiles, wrapperFiles] = await Promise.all([readFunctionFiles(options.functionDir), readWrapperFiles(options.wrapperDir ?? WRAPPER_DIR)]);
  const symbols = { handler: options.symbols.handler, initContext: options.symbols.initContext };
  const key = buildKey({ functionFiles, wrapperFiles, toolchain: toolchain.output.trim(), symbols });
  const finalDir = join(options.cacheRoot, key);
  const binary = join(finalDir, 'handler');
  if (existsSync(binary)) {
    options.logger.infoWith('using cached build', { binary, key });
    return { binary, cached: true, durationMs: Date.now() - started, key };
  }

  options.logger.infoWith('building Go handler', { functionDir: options.functionDir, handler: symbols.handler, key });
  await removeAbandonedBuilds(options.cacheRoot);
  const workDir = `${finalDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const src = join(workDir, 'src');
  try {
    await writeTree(src, functionFiles);
    await writeTree(join(src, WRAPPER_PACKAGE), wrapperFiles.filter((f) => f.path.endsWith('.go')));
    const module = await prepareGoMod(src, functionFiles, wrapperFiles, go);
    await writeFile(join(src, GENERATED_MAIN), generatedMain(`${module}/${WRAPPER_PACKAGE}`, symbols));

    const tidy = await go(['mod', 'tidy'], src);
    checkStep('go mod tidy', tidy, options);
    const build = await go(['build', '-trimpath', '-ldflags=-s -w', '-o', join(workDir, 'handler'), '.'], src);
    checkStep('go build', build, options);

    await rm(src, { recursive: true, force: true });
    await writeFile(join(workDir, 'build.json'), `${JSON.stringify({ functionDir: options.functionDir, ...symbols, toolchain: toolchain.output.trim().split('\n'), builtAt: new Date().toISOString() }, null, 2)}\n`);
    try {
      await rename(workDir, finalDir);
    } catch (error) {
      // Another processor finished the same build first: use its binary.
      if (!existsSync(binary)) throw error;
      await rm(workDir, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const durationMs = Date.now() - started;
  options.logger.infoWith('Go handler built', { binary, durationMs });
  return { binary, cached: false, durationMs, key };
}

/** Deletes work directories of builds whose processor died mid-build (its pid is gone). */
async function removeAbandonedBuilds(cacheRoot: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(cacheRoot);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^[0-9a-f]{64}\.tmp-(\d+)-[0-9a-f]+$/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') await rm(join(cacheRoot, name), { recursive: true, force: true });
    }
  }
}

async function writeTree(root: string, files: readonly SourceFile[]): Promise<void> {
  for (const file of files) {
    const target = join(root, ...file.path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.content);
  }
}

/**
 * Uses the function's go.mod when it has one, adding the Nuclio SDK and logger the wrapper
 * imports if it lacks them; otherwise writes the wrapper's go.mod and go.sum under a
 * neutral module name. Returns the module path.
 */
async function prepareGoMod(
  src: string, functionFiles: readonly SourceFile[], wrapperFiles: readonly SourceFile[],
  go: (args: string[], cwd: string) => Promise<GoCommandResult>,
): Promise<string> {
  const wrapperGoMod = wrapperFiles.find((f) => f.path === 'go.mod')?.content.toString() ?? '';
  const userGoMod = functionFiles.find((f) => f.path === 'go.mod')?.content.toString();
  if (userGoMod === undefined) {
    await writeFile(join(src, 'go.mod'), wrapperGoMod.replace(/^module\s+\S+/m, `module ${DEFAULT_MODULE}`));
    const wrapperGoSum = wrapperFiles.find((f) => f.path === 'go.sum');
    if (wrapperGoSum && !functionFiles.some((f) => f.path === 'go.sum')) await writeFile(join(src, 'go.sum'), wrapperGoSum.content);
    return DEFAULT_MODULE;
  }
  const module = modulePath(userGoMod);
  if (!module) throw buildError('the function\'s go.mod has no module line');
  // The wrapper needs at least the versions it was written against, as any dependency would:
  // a function requiring an older SDK (or none) is moved up to them; a newer one is kept.
  for (const dependency of [NUCLIO_SDK_MODULE, NUCLIO_LOGGER_MODULE]) {
    const pinned = pinnedVersion(wrapperGoMod, dependency);
    const current = requiredVersion(userGoMod, dependency);
    if (current !== undefined && compareModuleVersions(current, pinned) >= 0) continue;
    const edit = await go(['mod', 'edit', `-require=${dependency}@${pinned}`], src);
    if (edit.code !== 0) throw buildError(`go mod edit failed:\n${edit.output}`);
  }
  return module;
}

/** Throws a RUNTIME_BUILD error carrying the compiler's output, with paths pointing into the function directory. */
function checkStep(step: string, result: GoCommandResult, options: GoBuildOptions): void {
  if (result.timedOut) {
    throw buildError(`${step} did not finish within ${Math.round(options.timeoutMs / 1000)}s (NUCLEON_GO_BUILD_TIMEOUT); ` +
      `a first build downloads modules, so check that the Go module proxy is reachable.\n${result.output}`);
  }
  if (result.code === 0) return;
  const output = result.output
    .split('\n')
    .map((line) => line.replace(/^\.\/(?!nucleonwrapper\/)(\S+?\.go:\d+)/, `${options.functionDir}/$1`))
    .join('\n')
    .trim();
  const { handler } = options.symbols;
  if (new RegExp(`${GENERATED_MAIN}:\\d+:\\d+: undefined: ${handler}\\b`).test(output)) {
    throw createError(ErrorCodes.HANDLER_NOT_FOUND,
      `handler ${handler} is not declared in package main of ${options.functionDir} (spec.handler names it as main:${handler})`,
      { details: { plugin: '@nucleon/runtime-go', output } });
  }
  if (new RegExp(`${GENERATED_MAIN}:\\d+:\\d+: cannot use ${handler}\\b`).test(output)) {
    throw buildError(`${handler} in ${options.functionDir} does not have Nuclio's Go handler signature ` +
      `func(context *nuclio.Context, event nuclio.Event) (interface{}, error):\n${output}`, { output });
  }
  if (new RegExp(`${GENERATED_MAIN}:\\d+:\\d+: cannot use InitContext\\b`).test(output)) {
    throw buildError(`InitContext in ${options.functionDir} must be func(context *nuclio.Context) error:\n${output}`, { output });
  }
  throw buildError(`${step} failed for the Go function in ${options.functionDir}:\n${output}`, { output });
}
