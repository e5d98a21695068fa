import { pathToFileURL } from 'node:url';
import semver from 'semver';
import {
  CORE_VERSION, createError, ErrorCodes, type ErrorCode, type PluginKind, type PlatformPlugin, type RuntimePlugin,
  type TriggerPlugin,
} from '@nucleon/core';
import { resolvePackageEntry } from './package-resolver.js';
import { BUILTIN_RUNTIMES, BUILTIN_TRIGGERS } from './plugin-names.js';

type PluginOf<K extends PluginKind> = K extends 'trigger' ? TriggerPlugin : K extends 'runtime' ? RuntimePlugin : PlatformPlugin;

export interface PluginRequest<K extends PluginKind> {
  kind: K;
  /** The npm package to load. */
  packageName: string;
  /** What the configuration said (`http`, `python:3.11`), for messages. */
  configuredAs: string;
  /** Where it was configured (`spec.triggers.web.kind`), for messages. */
  configPath: string;
  /** Directories to resolve the package from, in order. */
  searchPaths: readonly string[];
}

const NOT_FOUND_CODE: Record<PluginKind, ErrorCode> = {
  trigger: ErrorCodes.UNKNOWN_TRIGGER_KIND,
  runtime: ErrorCodes.UNKNOWN_RUNTIME,
  platform: ErrorCodes.UNKNOWN_PLATFORM,
};

/**
 * Loads a plugin package by name at run time: resolve it from the search paths, import its
 * default export, check that it is a plugin of the expected kind, and refuse it with
 * NUCLEON_ERR_PLUGIN_CORE_RANGE when its declared core range excludes this core.
 */
export async function loadPlugin<K extends PluginKind>(request: PluginRequest<K>): Promise<PluginOf<K>> {
  const { kind, packageName, configuredAs, configPath } = request;
  let resolved: ReturnType<typeof resolvePackageEntry>;
  try {
    resolved = resolvePackageEntry(packageName, request.searchPaths);
  } catch (cause) {
    // A corrupt package.json (JSON.parse) would otherwise surface as a bare SyntaxError.
    throw createError(ErrorCodes.PLUGIN_FAILED, `${configPath}: ${kind} plugin ${packageName} cannot be resolved: ${(cause as Error).message}`,
      { cause, details: { plugin: packageName, hook: 'resolve' } });
  }
  if (!resolved) {
    // Platforms have no built-in names here: the CLI wires its platforms statically.
    const builtins = kind === 'platform' ? '' : Object.keys(kind === 'trigger' ? BUILTIN_TRIGGERS : BUILTIN_RUNTIMES).join(', ');
    throw createError(NOT_FOUND_CODE[kind],
      `${configPath}: unknown ${kind} "${configuredAs}": package ${packageName} is not installed ` +
      `(looked in node_modules above ${request.searchPaths.join(', ')}). ${builtins ? `Built-in ${kind}s: ${builtins}; ` : ''}` +
      `a third-party ${kind} is named by its npm package name and must be installed where the function lives.`,
      { details: { plugin: packageName, path: configPath } });
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolved.entry).href)) as { default?: unknown };
  } catch (cause) {
    throw createError(ErrorCodes.PLUGIN_FAILED, `${configPath}: ${kind} plugin ${packageName} failed to load: ${(cause as Error).message}`,
      { cause, details: { plugin: packageName, hook: 'import' } });
  }
  const plugin = module.default as Partial<PluginOf<K>> | undefined;
  checkShape(plugin, kind, packageName, configPath);
  if (!semver.validRange(plugin.coreRange) || !semver.satisfies(CORE_VERSION, plugin.coreRange, { includePrerelease: true })) {
    throw createError(ErrorCodes.PLUGIN_CORE_RANGE,
      `${configPath}: ${kind} plugin ${packageName} supports @nucleon/core ${plugin.coreRange}, but this processor has ` +
      `@nucleon/core ${CORE_VERSION}; install a version of ${packageName} made for core ${CORE_VERSION}.`,
      { details: { plugin: packageName, coreRange: plugin.coreRange, coreVersion: CORE_VERSION } });
  }
  return plugin as PluginOf<K>;
}

function checkShape<K extends PluginKind>(plugin: Partial<PluginOf<K>> | undefined, kind: K, packageName: string,
  configPath: string): asserts plugin is PluginOf<K> {
  const problems: string[] = [];
  if (plugin === null || typeof plugin !== 'object') problems.push('its default export is not an object');
  else {
    if (plugin.kind !== kind) problems.push(`its kind is ${JSON.stringify(plugin.kind)}, expected "${kind}"`);
    if (typeof plugin.coreRange !== 'string') problems.push('it declares no coreRange string');
    if (typeof plugin.create !== 'function') problems.push('it has no create() factory');
  }
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_PLUGIN, `${configPath}: package ${packageName} is not a Nucleon ${kind} plugin: ${problems.join('; ')}`,
      { details: { plugin: packageName } });
  }
}
