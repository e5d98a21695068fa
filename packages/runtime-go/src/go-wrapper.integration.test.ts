import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WRAPPER_DIR } from './build-sources.js';

// The Go wrapper's own tests (frame codec against packages/runtime-wrapper/test-vectors,
// event and result mapping, the whole protocol over a pipe), run here so CI counts them.
function go(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('go', args, {
    cwd: WRAPPER_DIR, encoding: 'utf8', timeout: 280_000,
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod`.trim(), GOWORK: 'off' },
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

describe('the Go wrapper package', () => {
  it('passes go vet', () => {
    const { status, output } = go(['vet', './...']);
    expect(status, output).toBe(0);
  }, 300_000);

  it('passes its go tests, test vectors included', () => {
    const { status, output } = go(['test', '-count=1', '-v', './...']);
    expect(status, output).toBe(0);
    expect(output).toMatch(/--- PASS: TestVectorsDecode/);
    expect(output).toMatch(/--- PASS: TestSessionServesEvents/);
    expect(output).not.toMatch(/--- SKIP/);
  }, 300_000);

  it('is gofmt-clean', () => {
    const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
    const result = spawnSync(join(goroot, 'bin', 'gofmt'), ['-l', '.'], { cwd: WRAPPER_DIR, encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe('');
  });
});
