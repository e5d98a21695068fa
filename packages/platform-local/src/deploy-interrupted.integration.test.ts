import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import plugin from './index.js';
import { isPidAlive } from './liveness.js';
import type { LocalPlatform } from './local-platform.js';
import { signal } from './stop-process.js';

// DeployRequest.signal (Ctrl-C in the CLI) and the status a supervised function reports,
// against the stand-in processor (test-fixtures/fake-processor.mjs).
const FAKE = fileURLToPath(new URL('./test-fixtures/fake-processor.mjs', import.meta.url));
let stateDir: string;
const started: number[] = [];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nucleon-interrupt-'));
});
afterEach(async () => {
  for (const pid of started.splice(0)) if (isPidAlive(pid)) { signal(-pid, 'SIGKILL'); signal(pid, 'SIGKILL'); }
  await rm(stateDir, { recursive: true, force: true });
});

function platform(): LocalPlatform {
  return plugin.create({ settings: { processorEntry: FAKE, stateDir } }) as LocalPlatform;
}

function config(env: Record<string, string> = {}): FunctionConfig {
  return validateFunctionConfig({
    metadata: { name: 'fake' },
    spec: { runtime: 'nodejs', handler: 'main:handler', env: Object.entries(env).map(([name, value]) => ({ name, value })) },
  }).config;
}

/** Processes whose command line names this test's state directory. */
function processesOfState(): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(stateDir) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

/** Deploys a processor that never gets ready and aborts once the platform waits for it. */
async function interruptedDeploy(): Promise<unknown> {
  const controller = new AbortController();
  return platform().deploy({
    config: config({ FAKE_MODE: 'never-ready' }), functionDir: stateDir, readinessTimeoutMs: 20_000, signal: controller.signal,
    onProgress: (message) => {
      if (message.startsWith('waiting for the processor')) setTimeout(() => controller.abort(), 300);
    },
  }).catch((err: unknown) => err);
}

describe('an interrupted deploy (DeployRequest.signal)', () => {
  it('stops what it started and leaves no function behind on a first deploy', async () => {
    const started = Date.now();
    const error = await interruptedDeploy();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_DEPLOY_INTERRUPTED', details: { previous: 'none' } });
    expect((error as Error).message).toMatch(/^deploying function "fake" on the local platform was interrupted while waiting for the processor; what it started was stopped$/);
    expect(await platform().list()).toEqual([]);
    expect(existsSync(join(stateDir, 'functions', 'fake'))).toBe(false);
    expect(processesOfState()).toEqual([]);
  });

  it('restarts the previous deployment it had stopped to take its port, which serves again', async () => {
    const first = await platform().deploy({ config: config({ GREETING: 'old' }), functionDir: stateDir, readinessTimeoutMs: 5000 });
    started.push(first.details?.supervisorPid as number);
    const error = await interruptedDeploy();
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_DEPLOY_INTERRUPTED', details: { previous: 'restarted' } });
    const now = await platform().get('fake');
    started.push(now?.details?.supervisorPid as number);
    expect(now).toMatchObject({ state: 'ready', url: first.url });
    expect(await (await fetch(first.url!)).json()).toMatchObject({ greeting: 'old' });
    // Only the restarted deployment's supervisor and processor run.
    expect(processesOfState().sort()).toEqual([now?.details?.supervisorPid, now?.details?.pid].sort());
  });

  it('refuses at once when already aborted, touching nothing', async () => {
    const error = await platform().deploy({ config: config(), functionDir: stateDir, signal: AbortSignal.abort() }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_DEPLOY_INTERRUPTED' });
    expect(existsSync(join(stateDir, 'functions'))).toBe(false);
  });
});

describe('the status of a supervised function', () => {
  it("lists the processor's own addresses from GET /addresses, else the recorded URL", async () => {
    const addresses = [{ trigger: 'a', kind: 'http', url: 'http://127.0.0.1:1111' }, { trigger: 'b', kind: 'http', url: 'http://127.0.0.1:2222' }];
    const status = await platform().deploy({ config: config({ FAKE_ADDRESSES: JSON.stringify({ addresses }) }), functionDir: stateDir, readinessTimeoutMs: 5000 });
    started.push(status.details?.supervisorPid as number);
    expect(status).toMatchObject({ addresses, restarts: 0 });

    const plain = await platform().deploy({ config: config(), functionDir: stateDir, readinessTimeoutMs: 5000 });
    started.push(plain.details?.supervisorPid as number);
    expect((await platform().get('fake'))?.addresses).toEqual([{ trigger: 'default-http', kind: 'http', url: plain.url }]);
  });

  it('shows the processor serving now and the supervisor, and counts a restart after kill -9', async () => {
    const status = await platform().deploy({ config: config(), functionDir: stateDir, readinessTimeoutMs: 5000 });
    started.push(status.details?.supervisorPid as number);
    const { pid, supervisorPid } = status.details as { pid: number; supervisorPid: number };
    expect(pid).not.toBe(supervisorPid);
    signal(pid, 'SIGKILL');
    const until = Date.now() + 15_000;
    let now = await platform().get('fake');
    while (!(now?.restarts === 1 && now.state === 'ready') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      now = await platform().get('fake');
    }
    expect(now).toMatchObject({ state: 'ready', restarts: 1, details: { supervisorPid, lastExit: { signal: 'SIGKILL' } } });
    expect(now?.details?.pid).not.toBe(pid);
    expect(await (await fetch(status.url!)).json()).toMatchObject({ pid: now?.details?.pid });
  });

  it('does not restart a processor whose function folder was removed: the supervisor exits', async () => {
    const status = await platform().deploy({ config: config(), functionDir: stateDir, readinessTimeoutMs: 5000 });
    const { pid, supervisorPid } = status.details as { pid: number; supervisorPid: number };
    started.push(supervisorPid);
    await rm(join(stateDir, 'functions', 'fake'), { recursive: true, force: true });
    signal(pid, 'SIGKILL');
    const until = Date.now() + 10_000;
    while (processesOfState().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(processesOfState()).toEqual([]);
  });
});
