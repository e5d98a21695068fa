import {
  createError, ErrorCodes, isNucleonError, validateAttributes, type ConfigProblem, type FunctionConfig, type TriggerPlugin,
} from '@nucleon/core';
import { BUILTIN_RUNTIMES, BUILTIN_TRIGGERS, loadPlugin, triggerPackage } from '@nucleon/processor';
import { closestMatch } from './did-you-mean.js';

/** Where plugins resolve from: the function's folder first (third-party plugins), then the CLI's own dependencies. */
export interface PluginCheckOptions {
  functionDir: string;
  searchPaths: readonly string[];
}

/**
 * Checks what only the plugins know, before anything starts: the runtime name (a typo of a
 * built-in gets "did you mean") and every trigger's attributes against its plugin's schema.
 * All problems come back in one INVALID_CONFIG error (exit 4). A third-party runtime or
 * trigger the CLI cannot resolve is left to the processor, which may see other paths.
 */
export async function checkPlugins(config: FunctionConfig, options: PluginCheckOptions): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const runtimeProblem = checkRuntime(config.spec.runtime);
  if (runtimeProblem) problems.push(runtimeProblem);
  const warnings: ConfigProblem[] = [];
  for (const [name, trigger] of Object.entries(config.spec.triggers)) {
    if (trigger.disable) continue;
    const path = `spec.triggers.${name}`;
    const typo = unknownTriggerKind(trigger.kind);
    if (typo) {
      problems.push({ path: `${path}.kind`, message: typo });
      continue;
    }
    const plugin = await resolveTrigger(trigger.kind, path, options);
    if (!plugin) continue;
    try {
      warnings.push(...validateAttributes(path, plugin.name, plugin.attributes ?? {}, trigger.attributes).warnings);
    } catch (err) {
      if (!isNucleonError(err) || !err.details.problems) throw err;
      problems.push(...err.details.problems);
    }
  }
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG,
      `invalid function configuration for "${config.metadata.name}":\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`,
      { details: { problems } });
  }
  return warnings;
}

const RUNTIME_NAMES = Object.keys(BUILTIN_RUNTIMES);
const TRIGGER_KINDS = Object.keys(BUILTIN_TRIGGERS);

/** npm package names with a scope or a path are third-party plugins, never typos of a built-in. */
function looksLikePackage(name: string): boolean {
  return name.startsWith('@') || name.includes('/');
}

/** A runtime that is no built-in but one or two edits from one is a typo, not a third-party package. */
function checkRuntime(runtime: string): ConfigProblem | undefined {
  const base = runtime.split(':')[0] ?? runtime;
  if (Object.hasOwn(BUILTIN_RUNTIMES, base) || looksLikePackage(runtime)) return undefined;
  const suggestion = closestMatch(base, RUNTIME_NAMES);
  if (!suggestion) return undefined;
  return { path: 'spec.runtime', message: `unknown runtime "${runtime}"; did you mean '${suggestion}'? Built-in runtimes: ${RUNTIME_NAMES.join(', ')}` };
}

function unknownTriggerKind(kind: string): string | undefined {
  if (Object.hasOwn(BUILTIN_TRIGGERS, kind) || looksLikePackage(kind)) return undefined;
  const suggestion = closestMatch(kind, TRIGGER_KINDS);
  return suggestion ? `unknown trigger kind "${kind}"; did you mean '${suggestion}'? Built-in kinds: ${TRIGGER_KINDS.join(', ')}` : undefined;
}

async function resolveTrigger(kind: string, path: string, options: PluginCheckOptions): Promise<TriggerPlugin | undefined> {
  const builtin = Object.hasOwn(BUILTIN_TRIGGERS, kind);
  try {
    return await loadPlugin({
      kind: 'trigger', packageName: triggerPackage(kind), configuredAs: kind, configPath: `${path}.kind`,
      searchPaths: [options.functionDir, ...options.searchPaths],
    });
  } catch (err) {
    // A built-in the CLI ships always resolves; a third-party one may only exist where the processor runs.
    if (builtin) throw err;
    return undefined;
  }
}
