import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createError, ErrorCodes, type Logger } from '@nucleon/core';
import type { DotnetToolchain } from './dotnet-toolchain.js';
import { runCommand, type CommandResult } from './run-command.js';

/** The C# wrapper's sources ship in the package's `wrapper/` folder, beside `dist/` and `src/`. */
export const WRAPPER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'wrapper');
/** The wrapper's entry point; the handler's own `Main` is an instance method, never the entry point. */
export const WRAPPER_MAIN = 'Nucleon.Wrapper.Program';

const SKIPPED_DIRS = new Set(['node_modules', 'bin', 'obj']);
const MAX_FILES = 2_000;

/** A source file by its absolute path, with its content for the cache key. */
export interface SourceFile {
  path: string;
  /** Path relative to its root, with `/`: what the cache key hashes. */
  name: string;
  content: Buffer;
}

export interface DotnetBuildOptions {
  functionDir: string;
  toolchain: DotnetToolchain;
  logger: Logger;
  /** Where built assemblies are kept; default `${XDG_CACHE_HOME:-~/.cache}/nucleon/dotnet`. */
  cacheRoot: string;
  timeoutMs: number;
  wrapperDir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface DotnetBuildResult {
  /** `handler.exe` (Mono) or `handler.dll` (the .NET SDK). */
  assembly: string;
  cached: boolean;
  durationMs: number;
  key: string;
}

/** `${XDG_CACHE_HOME:-~/.cache}/nucleon/dotnet`, or NUCLEON_DOTNET_CACHE_DIR when set. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NUCLEON_DOTNET_CACHE_DIR) return env.NUCLEON_DOTNET_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nucleon', 'dotnet');
}

function buildError(message: string, details: Record<string, unknown> = {}): Error {
  return createError(ErrorCodes.RUNTIME_BUILD, message, { details: { plugin: '@nucleon/runtime-dotnet', ...details } });
}

/** Every `.cs` file of the function (hidden entries, bin/, obj/ and node_modules excepted), sorted by name. */
export async function readFunctionSources(functionDir: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
      } else if (entry.isFile() && (entry.name.endsWith('.cs') || entry.name.endsWith('.csproj'))) {
        files.push({ path: full, name: relative(functionDir, full).split(sep).join('/'), content: await readFile(full) });
        if (files.length > MAX_FILES) throw buildError(`the function directory ${functionDir} holds more than ${MAX_FILES} C# files`);
      }
    }
  };
  await walk(functionDir);
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The wrapper's `.cs` files (its tests, in `test/`, are not part of it). */
export async function readWrapperSources(wrapperDir = WRAPPER_DIR): Promise<SourceFile[]> {
  const names = (await readdir(wrapperDir)).filter((n) => n.endsWith('.cs')).sort();
  return Promise.all(names.map(async (name) => ({ path: join(wrapperDir, name), name, content: await readFile(join(wrapperDir, name)) })));
}

/** sha256 over every input that changes the assembly: the toolchain, the wrapper and the function's sources. */
export function buildKey(toolchain: DotnetToolchain, wrapper: readonly SourceFile[], functionFiles: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  const field = (value: string | Buffer): void => {
    const data = typeof value === 'string' ? Buffer.from(value) : value;
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(data.length));
    hash.update(length).update(data);
  };
  field('nucleon-dotnet-build/1');
  field(`${toolchain.kind} ${toolchain.version}`);
  for (const [label, files] of [['wrapper', wrapper], ['function', functionFiles]] as const) {
    field(label);
    for (const file of files) {
      field(file.name);
      field(file.content);
    }
  }
  return hash.digest('hex');
}

/**
 * Rewrites compiler diagnostics `path(line,col): error CS...` (mcs and csc both print them so)
 * as `path:line:col: error CS...`, keeps errors first, and drops MSBuild's project suffix.
 */
export function compilerErrors(output: string): string {
  const lines = output.split('\n').map((line) => line
    .replace(/^\s*(\S.*?\.cs)\((\d+),(\d+)\):/, '$1:$2:$3:')
    .replace(/\s+\[[^\]]*\.csproj\]\s*$/, '')
    .trimEnd());
  const errors = [...new Set(lines.filter((l) => /\berror\s+CS\d+/.test(l)))];
  return (errors.length > 0 ? errors : lines.filter((l) => l.trim() !== '')).join('\n');
}

/**
 * Compiles the function's `.cs` files together with the wrapper into one assembly, keyed by a
 * hash of everything that goes into it; an existing assembly for the same key is reused. Builds
 * happen in a private directory renamed into place, so processors starting at once never see a
 * half-written one.
 */
export async function buildDotnetHandler(options: DotnetBuildOptions): Promise<DotnetBuildResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const [wrapper, functionFiles] = await Promise.all([readWrapperSources(options.wrapperDir), readFunctionSources(options.functionDir)]);
  const sources = functionFiles.filter((f) => f.name.endsWith('.cs'));
  if (sources.length === 0) {
    throw createError(ErrorCodes.HANDLER_NOT_FOUND, `no .cs file in ${options.functionDir}; a dotnetcore function is C# source with a class such as nuclio and a method Main(Context context, Event eventBase)`,
      { details: { plugin: '@nucleon/runtime-dotnet' } });
  }
  const key = buildKey(options.toolchain, wrapper, functionFiles);
  const finalDir = join(options.cacheRoot, key);
  const assemblyName = options.toolchain.kind === 'mcs' ? 'handler.exe' : join('out', 'handler.dll');
  const assembly = join(finalDir, assemblyName);
  if (existsSync(assembly)) {
    options.logger.infoWith('using cached .NET build', { assembly, key });
    return { assembly, cached: true, durationMs: Date.now() - started, key };
  }

  options.logger.infoWith('compiling the .NET handler', { functionDir: options.functionDir, compiler: options.toolchain.kind, key });
  await mkdir(options.cacheRoot, { recursive: true });
  const workDir = `${finalDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await mkdir(workDir, { recursive: true });
  const timeoutMs = (): number => Math.max(1, deadline - Date.now());
  try {
    let result: CommandResult;
    if (options.toolchain.kind === 'mcs') {
      result = await runCommand(options.toolchain.mcs, [
        '-nologo', '-target:exe', `-main:${WRAPPER_MAIN}`, '-debug', '-optimize+', `-out:${join(workDir, 'handler.exe')}`,
        '-r:System.dll', '-r:System.Core.dll', '-r:Microsoft.CSharp.dll',
        ...wrapper.map((f) => f.path), ...sources.map((f) => f.path),
      ], { cwd: options.functionDir, env: options.env, timeoutMs: timeoutMs() });
    } else {
      await writeFile(join(workDir, 'handler.csproj'), csproj(options.toolchain.version, wrapper, sources, functionFiles));
      result = await runCommand(options.toolchain.dotnet, ['build', join(workDir, 'handler.csproj'), '-c', 'Release', '-o', join(workDir, 'out'), '--nologo'],
        { cwd: workDir, env: { ...(options.env ?? process.env), DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' }, timeoutMs: timeoutMs() });
    }
    const compiler = options.toolchain.kind === 'mcs' ? 'the C# compiler (mcs)' : 'dotnet build';
    if (result.timedOut) {
      throw buildError(`${compiler} did not finish within ${Math.round(options.timeoutMs / 1000)}s (NUCLEON_DOTNET_BUILD_TIMEOUT)\n${result.output}`);
    }
    if (result.spawnError) throw buildError(`cannot run ${compiler}: ${result.spawnError.message}`);
    if (result.code !== 0 || !existsSync(join(workDir, assemblyName))) {
      const errors = compilerErrors(result.output);
      throw buildError(`${compiler} failed for the .NET function in ${options.functionDir}:\n${errors}`, { output: result.output });
    }
    await writeFile(join(workDir, 'build.json'), `${JSON.stringify({ functionDir: options.functionDir, toolchain: options.toolchain, builtAt: new Date().toISOString() }, null, 2)}\n`);
    try {
      await rename(workDir, finalDir);
    } catch (error) {
      // Another processor finished the same build first: use its assembly.
      if (!existsSync(assembly)) throw error;
      await rm(workDir, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  const durationMs = Date.now() - started;
  options.logger.infoWith('.NET handler compiled', { assembly, durationMs });
  return { assembly, cached: false, durationMs, key };
}

/**
 * The project `dotnet build` gets: the wrapper and the function's sources, an entry point, and the
 * PackageReference lines of the function's own `*.csproj` (Nuclio's `handler.csproj`) if it has one.
 */
export function csproj(sdkVersion: string, wrapper: readonly SourceFile[], sources: readonly SourceFile[], functionFiles: readonly SourceFile[]): string {
  const major = Number(/^(\d+)/.exec(sdkVersion)?.[1] ?? '8');
  const packages = functionFiles
    .filter((f) => f.name.endsWith('.csproj'))
    .flatMap((f) => f.content.toString().match(/<PackageReference\b[^>]*?(\/>|>[\s\S]*?<\/PackageReference>)/g) ?? []);
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return [
    '<Project Sdk="Microsoft.NET.Sdk">',
    '  <PropertyGroup>',
    '    <OutputType>Exe</OutputType>',
    `    <TargetFramework>net${major >= 5 ? major : 8}.0</TargetFramework>`,
    '    <AssemblyName>handler</AssemblyName>',
    `    <StartupObject>${WRAPPER_MAIN}</StartupObject>`,
    '    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>',
    '    <ImplicitUsings>disable</ImplicitUsings>',
    '    <Nullable>disable</Nullable>',
    '    <GenerateAssemblyInfo>false</GenerateAssemblyInfo>',
    '  </PropertyGroup>',
    '  <ItemGroup>',
    ...[...wrapper, ...sources].map((f) => `    <Compile Include="${escape(f.path)}" />`),
    ...packages.map((p) => `    ${p}`),
    '  </ItemGroup>',
    '</Project>',
    '',
  ].join('\n');
}
