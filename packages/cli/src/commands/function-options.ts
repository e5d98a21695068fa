import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { FunctionFlags } from '../config/function-flags.js';
import { LOGGER_LEVELS, wholeNumber } from '../config/function-flags.js';
import { createError, ErrorCodes } from '@nucleon/core';
import { usageError } from '../errors.js';

/** The options commander collects for `run`, `build` and `deploy`: nuctl's function flags. */
export type FunctionOptionValues = FunctionFlags;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A function name as nuctl's positional argument: what Nuclio (and Kubernetes) allow. */
const FUNCTION_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Adds nuctl's function flags (`-p`, `-f`, `--runtime`, `--handler`, `-e`, `--triggers`, ...) and the positional NAME or path. */
export function addFunctionOptions(command: Command): Command {
  return command
    .argument('[name-or-path]', 'function name (nuctl\'s form, with -p), or a function directory, handler file or function.yaml that exists')
    .option('-p, --path <path>', 'function directory, single handler file, function.yaml, or an http(s) URL of a handler file or a .zip/.tar.gz/.tgz archive')
    .option('-f, --file <function.yaml>', 'function configuration file (default: <path>/function.yaml when present)')
    .option('--runtime <name>', 'runtime, overriding spec.runtime (nodejs, typescript, python, golang, dotnetcore, shell)')
    .option('--handler <file:export>', 'handler, overriding spec.handler (for example main:handler)')
    .option('-e, --env <NAME=VALUE>', 'environment variable, overriding spec.env (repeatable)', collect)
    .option('--triggers <json>', `triggers as a JSON object, replacing spec.triggers ('{"http":{"kind":"http"}}')`)
    .option('--name <name>', 'function name, overriding metadata.name')
    .option('-n, --namespace <namespace>', 'metadata.namespace: the Kubernetes namespace with --platform kube; recorded only by local and docker')
    .option('-l, --labels <a=b,...>', 'labels merged into metadata.labels')
    .option('--annotations <a=b,...>', 'annotations merged into metadata.annotations')
    .option('--desc <text>', 'spec.description')
    .addOption(new Option('--replicas <n>', 'spec.replicas').argParser(wholeNumber('--replicas')))
    .addOption(new Option('--min-replicas <n>', 'spec.minReplicas').argParser(wholeNumber('--min-replicas')))
    .addOption(new Option('--max-replicas <n>', 'spec.maxReplicas').argParser(wholeNumber('--max-replicas')))
    .option('--build-command <command>', 'appended to spec.build.commands (repeatable)', collect)
    .option('--base-image <image>', 'spec.build.baseImage')
    .option('--runtime-attrs <json>', 'a JSON object merged into spec.runtimeAttributes')
    .option('--resource-limit <name=quantity,...>', 'spec.resources.limits entries, e.g. cpu=1,memory=128Mi (repeatable)', collect)
    .option('--resource-request <name=quantity,...>', 'spec.resources.requests entries (repeatable)', collect)
    .addOption(new Option('--logger-level <level>', 'the function\'s log level (sets NUCLEON_LOG_LEVEL in spec.env)').choices(LOGGER_LEVELS))
    .addOption(new Option('--readiness-timeout <seconds>', 'seconds to wait for the function to become ready')
      .argParser(wholeNumber('--readiness-timeout', 1)));
}

/**
 * The flags as {@link FunctionFlags}. The positional argument is nuctl's function NAME when
 * `-p` is also given or when no such path exists (and it reads as a name); otherwise it is
 * today's path argument.
 */
export function functionFlags(positional: string | undefined, opts: FunctionOptionValues, cwd = process.cwd()): FunctionFlags {
  const flags: FunctionFlags = { ...opts };
  if (positional === undefined) return flags;
  const isName = opts.path !== undefined || (!existsSync(resolve(cwd, positional)) && FUNCTION_NAME.test(positional));
  if (!isName) return { ...flags, path: positional };
  if (opts.name !== undefined && opts.name !== positional) {
    throw usageError(`give the function name once: either as the argument ("${positional}") or with --name ("${opts.name}")`);
  }
  // A name alone means "the function in this folder"; without a function.yaml here it is most
  // likely a mistyped folder, which deserves better than "spec.handler is required".
  if (opts.path === undefined && opts.file === undefined && !['function.yaml', 'function.yml'].some((f) => existsSync(resolve(cwd, f)))) {
    throw createError(ErrorCodes.CONFIG_NOT_FOUND,
      `no file or folder "${positional}" here, and no function.yaml in ${cwd} for a function named "${positional}"; give its code with -p PATH (nuctl's form: deploy NAME -p PATH)`);
  }
  return { ...flags, name: positional };
}

/** `--platform <name>` for commands that talk to a platform. */
export function platformOption(): Option {
  return new Option('--platform <name>',
    'platform to use: local (processes on this machine), docker (containers) or kube (Kubernetes; also "kubernetes"); nuctl\'s "auto" means local')
    .default('local');
}

/** nuctl's `-n/--namespace` on commands that name a deployed function. */
export function namespaceOption(): Option {
  return new Option('-n, --namespace <namespace>',
    'kube: the namespace (default: the kubeconfig context\'s, else nucleon); local and docker have one namespace and ignore it');
}

/** The values {@link addClusterOptions} collects. */
export interface ClusterOptionValues {
  kubeconfig?: string;
  context?: string;
}

/**
 * nuctl's `-k/--kubeconfig`, and `--context`: which cluster `--platform kube` talks to. Without
 * them: KUBECONFIG, ~/.kube/config, then the local cluster's admin kubeconfig.
 */
export function addClusterOptions(command: Command): Command {
  return command
    .option('-k, --kubeconfig <path>', 'kube: kubeconfig file (default: KUBECONFIG, ~/.kube/config, then $NUCLEON_CACHE/kubernetes-data/admin.kubeconfig)')
    .option('--context <name>', 'kube: kubeconfig context (default: its current-context)');
}

/** nuctl's `<verb> function` subcommand under `parent`, with nuctl's aliases (`functions`, `fu`, `fn`). */
export function functionSubcommand(parent: Command): Command {
  return parent.command('function').aliases(['functions', 'fu', 'fn']);
}
