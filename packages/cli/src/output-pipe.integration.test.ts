import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from './test-helpers/cli-process.js';

describe('output into a pipe that closes early', () => {
  it('`nucleon deploy --help | head -1` exits 0 without an EPIPE stack trace', () => {
    const script = `"${process.execPath}" "${CLI}" deploy --help | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
    expect(result.stdout).toMatch(/^Usage: nucleon deploy/);
    expect(result.stderr).toContain('status=0');
    expect(result.stderr).not.toContain('EPIPE');
  });
});
