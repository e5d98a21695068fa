import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildKey, compareModuleVersions, generatedMain, modulePath, NUCLIO_SDK_MODULE, pinnedVersion, readFunctionFiles, readWrapperFiles,
  requiredVersion,
} from './build-sources.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function fnDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nucleon-go-files-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

describe('readFunctionFiles', () => {
  it('takes every file a build may read, sorted, skipping hidden entries, node_modules and tests', async () => {
    const dir = fnDir({
      'main.go': 'package main', 'go.mod': 'module x', 'lib/util.go': 'package lib', 'templates/page.html': '<p>',
      'main_test.go': 'package main', '.git/HEAD': 'ref', 'node_modules/x/index.js': '', '.env': 'A=1',
    });
    expect((await readFunctionFiles(dir)).map((f) => f.path)).toEqual(['go.mod', 'lib/util.go', 'main.go', 'templates/page.html']);
  });
});

describe('buildKey', () => {
  const base = { functionFiles: [{ path: 'main.go', content: Buffer.from('a') }], wrapperFiles: [], toolchain: 'go1.26.8', symbols: { handler: 'Handler' } };

  it('is stable for the same inputs', () => {
    expect(buildKey(base)).toBe(buildKey({ ...base }));
    expect(buildKey(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the sources, the toolchain and the handler', () => {
    const key = buildKey(base);
    expect(buildKey({ ...base, functionFiles: [{ path: 'main.go', content: Buffer.from('b') }] })).not.toBe(key);
    expect(buildKey({ ...base, functionFiles: [{ path: 'other.go', content: Buffer.from('a') }] })).not.toBe(key);
    expect(buildKey({ ...base, toolchain: 'go1.27.0' })).not.toBe(key);
    expect(buildKey({ ...base, symbols: { handler: 'Other' } })).not.toBe(key);
    expect(buildKey({ ...base, wrapperFiles: [{ path: 'wrapper.go', content: Buffer.from('') }] })).not.toBe(key);
  });

  it('cannot be fooled by moving bytes between a path and its content', () => {
    const a = buildKey({ ...base, functionFiles: [{ path: 'ab', content: Buffer.from('c') }] });
    const b = buildKey({ ...base, functionFiles: [{ path: 'a', content: Buffer.from('bc') }] });
    expect(a).not.toBe(b);
  });
});

describe('go.mod helpers', () => {
  const goMod = 'module example.com/fn // the function\n\ngo 1.22\n\nrequire (\n\tgithub.com/nuclio/nuclio-sdk-go v0.5.3\n)\n';

  it('reads the module path', () => {
    expect(modulePath(goMod)).toBe('example.com/fn');
    expect(modulePath('module "quoted/mod"\n')).toBe('quoted/mod');
    expect(modulePath('go 1.22\n')).toBeUndefined();
  });

  it('reads required versions from require blocks and lines', () => {
    expect(requiredVersion(goMod, NUCLIO_SDK_MODULE)).toBe('v0.5.3');
    expect(requiredVersion('module x\nrequire github.com/nuclio/nuclio-sdk-go v0.2.0 // indirect\n', NUCLIO_SDK_MODULE)).toBe('v0.2.0');
    expect(requiredVersion(goMod, 'github.com/nuclio/logger')).toBeUndefined();
  });

  it('orders module versions, pseudo-versions before releases', () => {
    expect(compareModuleVersions('v0.2.0', 'v0.5.3')).toBe(-1);
    expect(compareModuleVersions('v0.5.10', 'v0.5.3')).toBe(1);
    expect(compareModuleVersions('v0.5.3', 'v0.5.3')).toBe(0);
    expect(compareModuleVersions('v0.0.0-20190205170814-3b507fbd0324', 'v0.5.3')).toBe(-1);
    expect(compareModuleVersions('v0.5.4-0.20250101000000-abcdef123456', 'v0.5.4')).toBe(-1);
    expect(compareModuleVersions('v2.0.0+incompatible', 'v1.9.9')).toBe(1);
  });

  it('pins the SDK at the version the shipped wrapper was tested with', async () => {
    const wrapperGoMod = (await readWrapperFiles()).find((f) => f.path === 'go.mod')?.content.toString() ?? '';
    expect(pinnedVersion(wrapperGoMod, NUCLIO_SDK_MODULE)).toMatch(/^v0\.\d+\.\d+$/);
  });
});

describe('generatedMain', () => {
  it('calls the handler symbol, and InitContext only when declared', () => {
    expect(generatedMain('example.com/fn/nucleonwrapper', { handler: 'Handler', initContext: true }))
      .toContain('import nucleonwrapper "example.com/fn/nucleonwrapper"\n\nfunc main() {\n\tnucleonwrapper.Run(Handler, InitContext)\n}');
    expect(generatedMain('m/nucleonwrapper', { handler: 'Echo', initContext: false })).toContain('nucleonwrapper.Run(Echo, nil)');
  });

  it('ships only the wrapper\'s sources, not its tests', async () => {
    const names = (await readWrapperFiles()).map((f) => f.path);
    expect(names).toContain('wrapper.go');
    expect(names).toContain('go.sum');
    expect(names.some((n) => n.endsWith('_test.go'))).toBe(false);
  });
});
