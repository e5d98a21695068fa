import { createError, ErrorCodes } from '@nucleon/core';
import { runCommand } from './run-command.js';

/** How handlers are compiled and run: Mono's `mcs` + `mono`, or the .NET SDK's `dotnet`. */
export type DotnetToolchain =
  | { kind: 'mcs'; mcs: string; mono: string; version: string }
  | { kind: 'dotnet'; dotnet: string; version: string };

/** What NUCLEON_DOTNET_COMPILER may say: `auto` (the default: the .NET SDK when on PATH, else Mono), `dotnet` or `mcs`. */
export type CompilerChoice = 'auto' | 'dotnet' | 'mcs';

export const MONO_INSTALL_HINT = 'apt-get install -y mono-mcs mono-runtime (Debian/Ubuntu), or install the .NET SDK';

function toolchainError(message: string): Error {
  return createError(ErrorCodes.RUNTIME_BUILD, message, { details: { plugin: '@nucleon/runtime-dotnet' } });
}

export function compilerChoice(env: NodeJS.ProcessEnv = process.env): CompilerChoice {
  const value = (env.NUCLEON_DOTNET_COMPILER ?? '').trim() || 'auto';
  if (value === 'auto' || value === 'dotnet' || value === 'mcs') return value;
  throw createError(ErrorCodes.INVALID_CONFIG, `NUCLEON_DOTNET_COMPILER: "${value}" is not one of auto, dotnet, mcs`,
    { details: { problems: [{ path: 'NUCLEON_DOTNET_COMPILER', message: 'must be auto, dotnet or mcs' }] } });
}

/**
 * Finds the toolchain: with `auto`, the .NET SDK when `dotnet --version` answers (an image with
 * the SDK), else Mono's `mcs` with the `mono` runtime. Versions go into the build cache key.
 */
export async function detectToolchain(env: NodeJS.ProcessEnv = process.env): Promise<DotnetToolchain> {
  const choice = compilerChoice(env);
  const dotnet = env.NUCLEON_DOTNET ?? 'dotnet';
  const mcs = env.NUCLEON_MCS ?? 'mcs';
  const mono = env.NUCLEON_MONO ?? 'mono';
  if (choice !== 'mcs') {
    const sdk = await runCommand(dotnet, ['--version'], { cwd: process.cwd(), env, timeoutMs: 60_000 });
    if (!sdk.spawnError && sdk.code === 0 && /^\d+\.\d+/.test(sdk.output.trim())) {
      return { kind: 'dotnet', dotnet, version: sdk.output.trim().split('\n').at(-1)!.trim() };
    }
    if (choice === 'dotnet') {
      throw toolchainError(`NUCLEON_DOTNET_COMPILER is dotnet, but "${dotnet} --version" did not answer with an SDK version: ${sdk.spawnError?.message ?? sdk.output.trim()}`);
    }
  }
  const compiler = await runCommand(mcs, ['--version'], { cwd: process.cwd(), env, timeoutMs: 60_000 });
  if (compiler.spawnError || compiler.code !== 0) {
    throw toolchainError(`no C# compiler for runtime: dotnetcore: neither the .NET SDK ("${dotnet}") nor Mono's "${mcs}" is on PATH; ${MONO_INSTALL_HINT}`);
  }
  const runtime = await runCommand(mono, ['--version'], { cwd: process.cwd(), env, timeoutMs: 60_000 });
  if (runtime.spawnError || runtime.code !== 0) {
    throw toolchainError(`"${mcs}" is on PATH but the Mono runtime ("${mono}") is not; ${MONO_INSTALL_HINT}`);
  }
  const monoVersion = runtime.output.split('\n')[0]?.trim() ?? '';
  return { kind: 'mcs', mcs, mono, version: `${compiler.output.trim()} / ${monoVersion}` };
}
