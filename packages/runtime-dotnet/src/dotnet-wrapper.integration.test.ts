import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WRAPPER_DIR } from './dotnet-build.js';

const VECTORS_DIR = fileURLToPath(new URL('../../runtime-wrapper/test-vectors', import.meta.url));

// The C# wrapper's own checks, compiled with mcs and run on Mono so CI counts them.
describe('the C# wrapper', () => {
  const out = mkdtempSync(join(tmpdir(), 'nucleon-dotnet-wrapper-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('compiles on its own with no warnings', () => {
    const result = spawnSync('mcs', ['-nologo', '-warnaserror+', '-target:library', `-out:${join(out, 'wrapper.dll')}`,
      ...['Json.cs', 'Frames.cs', 'Sdk.cs', 'Calls.cs', 'Program.cs'].map((f) => join(WRAPPER_DIR, f))], { encoding: 'utf8', timeout: 120_000 });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  }, 150_000);

  it('passes the protocol test vectors (decode, decode in pieces, encode byte for byte)', () => {
    const exe = join(out, 'vectors.exe');
    const build = spawnSync('mcs', ['-nologo', '-debug', '-target:exe', '-main:VectorsTest', `-out:${exe}`,
      join(WRAPPER_DIR, 'Json.cs'), join(WRAPPER_DIR, 'Frames.cs'), join(WRAPPER_DIR, 'test', 'VectorsTest.cs')], { encoding: 'utf8', timeout: 120_000 });
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
    const run = spawnSync('mono', ['--debug', exe, VECTORS_DIR], { encoding: 'utf8', timeout: 120_000 });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^PASS 15 vectors/m);
  }, 300_000);
});
