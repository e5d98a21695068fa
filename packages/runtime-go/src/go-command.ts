import { runToolchainCommand, type ToolchainCommandResult } from '@nucleon/runtime-wrapper';

/** What one `go` command did (`spawnError` ENOENT: no Go toolchain on PATH). */
export type GoCommandResult = ToolchainCommandResult;

/**
 * Runs `go <args>` (or `options.go`) in `cwd` with the given environment. On timeout the whole
 * process group is killed: `go build` starts compilers and linkers of its own, which must not outlive it.
 */
export function runGo(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; go?: string }): Promise<GoCommandResult> {
  return runToolchainCommand(options.go ?? 'go', args, { cwd: options.cwd, env: options.env, timeoutMs: options.timeoutMs });
}
