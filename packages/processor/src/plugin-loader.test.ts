import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORE_VERSION, ErrorCodes, type PluginKind } from '@nucleon/core';
import { loadPlugin } from './plugin-loader.js';

const root = mkdtempSync(join(tmpdir(), 'nucleon-plugins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;

/** Installs an ESM package whose entry is `source`, in a directory of its own (import caches by URL). */
function install(name: string, source: string): string {
  counter += 1;
  const base = join(root, `fn-${counter}`);
  const dir = join(base, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', exports: { '.': { import: './index.js' } } }));
  writeFileSync(join(dir, 'index.js'), source);
  return base;
}

function request<K extends PluginKind>(kind: K, packageName: string, searchPaths: string[]) {
  return { kind, packageName, configuredAs: packageName, configPath: `spec.triggers.web.kind`, searchPaths };
}

const plugin = (fields: string) => `export default { name: 'x', create() { return {}; }, ${fields} };\n`;

describe('loadPlugin: found', () => {
  it('returns a trigger plugin from an installed package', async () => {
    const base = install('@acme/trigger-good', plugin(`kind: 'trigger', coreRange: '^${CORE_VERSION}', attributes: {}`));
    const loaded = await loadPlugin(request('trigger', '@acme/trigger-good', [base]));
    expect(loaded.kind).toBe('trigger');
    expect(typeof loaded.create).toBe('function');
  });

  it('returns a runtime plugin whose core range includes this core', async () => {
    const base = install('runtime-good', plugin(`kind: 'runtime', coreRange: '>=0.0.1 <100'`));
    expect((await loadPlugin(request('runtime', 'runtime-good', [join(root, 'elsewhere'), base]))).kind).toBe('runtime');
  });
});

describe('loadPlugin: refused', () => {
  it('refuses an uninstalled trigger with UNKNOWN_TRIGGER_KIND listing the built-in kinds', async () => {
    const err = await loadPlugin({ ...request('trigger', '@nucleon/trigger-nope', [root]), configuredAs: 'nope' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.UNKNOWN_TRIGGER_KIND, details: { plugin: '@nucleon/trigger-nope' } });
    const message = (err as Error).message;
    expect(message).toContain('spec.triggers.web.kind');
    expect(message).toContain('"nope"');
    expect(message).toContain('http, kafka-cluster');
    expect(message).toContain(root);
  });

  it('refuses an uninstalled runtime with UNKNOWN_RUNTIME listing the built-in runtimes', async () => {
    const err = await loadPlugin({ ...request('runtime', '@nucleon/runtime-ruby', [root]), configPath: 'spec.runtime' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.UNKNOWN_RUNTIME });
    expect((err as Error).message).toContain('nodejs');
    expect((err as Error).message).toContain('python');
    expect((err as Error).message).not.toContain('kafka');
  });

  it('refuses an uninstalled platform with UNKNOWN_PLATFORM, listing no trigger or runtime names', async () => {
    const err = await loadPlugin(request('platform', '@acme/platform-nope', [root])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.UNKNOWN_PLATFORM });
    expect((err as Error).message).not.toMatch(/nodejs|kafka/);
  });

  it.each([
    ['a default export that is not an object', `export default 'hello';`, 'not an object'],
    ['no default export', `export const plugin = {};`, 'not an object'],
    ['no create()', `export default { kind: 'trigger', coreRange: '^0.1.0' };`, 'create()'],
    ['no coreRange', `export default { kind: 'trigger', create() {} };`, 'coreRange'],
  ])('refuses %s with INVALID_PLUGIN', async (_name, source, problem) => {
    const base = install('bad-shape', source);
    const err = await loadPlugin(request('trigger', 'bad-shape', [base])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.INVALID_PLUGIN, details: { plugin: 'bad-shape' } });
    expect((err as Error).message).toContain(problem);
  });

  it('refuses a plugin of the wrong kind with INVALID_PLUGIN naming both kinds', async () => {
    const base = install('@acme/runtime-as-trigger', plugin(`kind: 'runtime', coreRange: '^0.1.0'`));
    const err = await loadPlugin(request('trigger', '@acme/runtime-as-trigger', [base])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.INVALID_PLUGIN });
    expect((err as Error).message).toMatch(/kind is "runtime", expected "trigger"/);
  });

  it('refuses a plugin made for another core with PLUGIN_CORE_RANGE naming both versions', async () => {
    const base = install('future-trigger', plugin(`kind: 'trigger', coreRange: '^99.0.0'`));
    const err = await loadPlugin(request('trigger', 'future-trigger', [base])).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: ErrorCodes.PLUGIN_CORE_RANGE, details: { plugin: 'future-trigger', coreRange: '^99.0.0', coreVersion: CORE_VERSION },
    });
    expect((err as Error).message).toContain('^99.0.0');
    expect((err as Error).message).toContain(CORE_VERSION);
  });

  it('refuses a coreRange that is not a semver range with PLUGIN_CORE_RANGE', async () => {
    const base = install('garbled-range', plugin(`kind: 'trigger', coreRange: 'banana'`));
    await expect(loadPlugin(request('trigger', 'garbled-range', [base]))).rejects.toMatchObject({ code: ErrorCodes.PLUGIN_CORE_RANGE });
  });

  it('reports a module that throws on import as PLUGIN_FAILED keeping the cause', async () => {
    const base = install('explodes', `throw new Error('kaboom at import');\n`);
    const err = await loadPlugin(request('trigger', 'explodes', [base])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.PLUGIN_FAILED, details: { plugin: 'explodes', hook: 'import' } });
    expect((err as Error).message).toContain('kaboom at import');
    expect(((err as Error).cause as Error).message).toBe('kaboom at import');
  });

  it('reports a module with a syntax error as PLUGIN_FAILED', async () => {
    const base = install('unparsable', `export default {;\n`);
    await expect(loadPlugin(request('trigger', 'unparsable', [base]))).rejects.toMatchObject({ code: ErrorCodes.PLUGIN_FAILED });
  });

  it('reports a package with a corrupt package.json as PLUGIN_FAILED naming the package', async () => {
    const base = install('corrupt-manifest', plugin(`kind: 'trigger', coreRange: '^0.1.0'`));
    writeFileSync(join(base, 'node_modules', 'corrupt-manifest', 'package.json'), '{ "name": ');
    const err = await loadPlugin(request('trigger', 'corrupt-manifest', [base])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.PLUGIN_FAILED, details: { plugin: 'corrupt-manifest' } });
    expect((err as Error).message).toContain('corrupt-manifest');
  });
});
