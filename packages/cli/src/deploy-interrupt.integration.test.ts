import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killIfAlive, runNucleon, startNucleon, waitFor } from './test-helpers/cli-process.js';

// Ctrl-C (SIGINT) and SIGTERM to `nucleon deploy` while the platform deploys: the CLI says so,
// aborts DeployRequest.signal, and exits 130/143; a second signal exits at once.
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-interrupt-'));
  env = { ...process.env, NUCLEON_HOME: join(home, 'state') };
});
afterAll(async () => {
  for (const name of ['slow-start', 'very-slow-start']) await runNucleon(['delete', name], { cwd: home, env });
  // A processor the platform had not recorded yet runs with a --config under this test's home.
  for (const pid of pidsMentioning(home)) killIfAlive(pid, home);
  await rm(home, { recursive: true, force: true });
});

/** Processes whose command line names `text` (here: this test's own temporary folder). */
function pidsMentioning(text: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    try {
      return pid !== process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}

/** A handler whose module takes `ms` to load, so the processor is not ready for that long. */
async function slowFunction(name: string, ms: number): Promise<string> {
  const dir = join(home, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'main.mjs'), `await new Promise((resolve) => setTimeout(resolve, ${ms}));\nexport const handler = () => 'ok';\n`);
  return join(dir, 'main.mjs');
}

function exitOf(child: ReturnType<typeof startNucleon>['child']): Promise<{ code: number | null; at: number }> {
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: performance.now() })));
}

describe('interrupting nucleon deploy', () => {
  it('Ctrl-C mid-deploy: the platform stops what it started, nothing is left, and the CLI exits 130', async () => {
    const handler = await slowFunction('slow-start', 60_000);
    const { child, output } = startNucleon(['deploy', 'slow-start', '-p', handler], { cwd: home, env });
    const exited = exitOf(child);
    await waitFor(() => (output().includes('waiting for the processor') ? true : undefined));
    const started = pidsMentioning(join(home, 'state', 'local', 'functions', 'slow-start'));
    expect(started.length).toBeGreaterThan(0);
    const sent = performance.now();
    child.kill('SIGINT');
    const { code, at } = await exited;
    expect(code, output()).toBe(130);
    expect(output()).toContain('interrupted: stopping the deployment');
    expect(output()).not.toContain('finished before it could stop');
    // Long before the processor would have been ready (60 s): the platform gave up at once.
    expect(at - sent).toBeLessThan(10_000);
    expect(pidsMentioning(join(home, 'state', 'local', 'functions', 'slow-start'))).toEqual([]);
    const get = await runNucleon(['get', 'function', 'slow-start'], { cwd: home, env });
    expect(get.code).not.toBe(0);
  }, 60_000);

  it('a second SIGTERM exits 143 at once, without waiting for the platform', async () => {
    const handler = await slowFunction('very-slow-start', 60_000);
    const { child, output } = startNucleon(['deploy', 'very-slow-start', '-p', handler], { cwd: home, env });
    const exited = exitOf(child);
    await waitFor(() => (output().includes('deploying "very-slow-start"') ? true : undefined));
    child.kill('SIGTERM');
    await waitFor(() => (output().includes('interrupted: stopping the deployment') ? true : undefined));
    const second = performance.now();
    child.kill('SIGTERM');
    const { code, at } = await exited;
    expect(code, output()).toBe(143);
    expect(at - second).toBeLessThan(3_000);
  });

  it('Ctrl-C before the platform starts anything exits 130 at once', async () => {
    // A source URL on loopback that never answers keeps the CLI fetching, before any deploy begins.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const { child, output } = startNucleon(['deploy', 'never', '-p', `http://127.0.0.1:${port}/main.js`], { cwd: home, env });
      const exited = exitOf(child);
      await waitFor(() => (output().includes('deploy: fetching') ? true : undefined));
      const sent = performance.now();
      child.kill('SIGINT');
      const { code, at } = await exited;
      expect(code, output()).toBe(130);
      expect(output()).toContain('interrupted');
      expect(at - sent).toBeLessThan(3_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
