import { Option, type Command } from 'commander';
import type { FunctionFlags } from '../config/function-flags.js';
import { wholeNumber } from '../config/function-flags.js';
import { usageError } from '../errors.js';

/** The options commander collects for `run` and `deploy`: nuctl's function flags. */
export type FunctionOptionValues = FunctionFlags;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds nuctl's function flags (`-p`, `-f`, `--runtime`, `--handler`, `-e`, `--triggers`) and the positional path. */
export function addFunctionOptions(command: Command): Command {
  return command
    .argument('[path]', 'function directory, single handler file, or function.yaml (same as -p)')
    .option('-p, --path <path>', 'function directory, single handler file, or function.yaml')
    .option('-f, --file <function.yaml>', 'function configuration file (default: <path>/function.yaml when present)')
    .option('--runtime <name>', 'runtime, overriding spec.runtime (nodejs, typescript, ...)')
    .option('--handler <file:export>', 'handler, overriding spec.handler (for example main:handler)')
    .option('-e, --env <NAME=VALUE>', 'environment variable, overriding spec.env (repeatable)', collect)
    .option('--triggers <json>', `triggers as a JSON object, replacing spec.triggers ('{"http":{"kind":"http"}}')`)
    .option('--name <name>', 'function name, overriding metadata.name')
    .addOption(new Option('--readiness-timeout <seconds>', 'seconds to wait for the function to become ready')
      .argParser(wholeNumber('--readiness-timeout', 1)));
}

/** The flags as {@link FunctionFlags}; a positional path and a different -p together are a usage error. */
export function functionFlags(pathArg: string | undefined, opts: FunctionOptionValues): FunctionFlags {
  if (pathArg !== undefined && opts.path !== undefined && pathArg !== opts.path) {
    throw usageError(`give the path once: either as an argument ("${pathArg}") or with -p ("${opts.path}")`);
  }
  return {
    path: pathArg ?? opts.path, file: opts.file, runtime: opts.runtime, handler: opts.handler, env: opts.env,
    triggers: opts.triggers, name: opts.name, readinessTimeout: opts.readinessTimeout,
  };
}

/** `--platform <name>` for commands that talk to a platform. */
export function platformOption(): Option {
  return new Option('--platform <name>', 'platform to use: local (processes on this machine) or docker (containers); nuctl\'s "auto" means local').default('local');
}
