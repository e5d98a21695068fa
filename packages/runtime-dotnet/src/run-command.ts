import { runToolchainCommand, type ToolchainCommandResult } from '@nucleon/runtime-wrapper';

/** What one compiler or toolchain command did. */
export type CommandResult = ToolchainCommandResult;

/**
 * Runs `command args` in `cwd` (`dotnet`, `mcs` or `mono`, as resolved by the toolchain probe);
 * on timeout the whole process group is killed (`dotnet build` starts an MSBuild node and a
 * compiler server of its own, which must not outlive it).
 */
export function runCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<CommandResult> {
  return runToolchainCommand(command, args, options);
}
