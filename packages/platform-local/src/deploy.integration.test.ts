import { existsSync } from 'node:fs';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findFreePort, validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import plugin from './index.js';
import { isOurProcessor, isPidAlive } from './liveness.js';
import { signal } from './stop-process.js';
import type { LocalPlatform } from './local-platform.js';

// Process handling against a stand-in processor (test-fixtures/fake-processor.mjs), so
// replacement and failure paths are tested without depending on the real one.
const FAKE = fileURLToPath(new URL('./test-fixtures/fake-processor.mjs', import.meta.url));
let stateDir: string;
const started: number[] = [];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nucleon-deploy-'));
});
afterEach(async () => {
  for (const pid of started.splice(0)) if (isPidAlive(pid)) { signal(-pid, 'SIGKILL'); signal(pid, 'SIGKILL'); }
  await rm(stateDir, { recursive: true, force: true });
});

function platform(): LocalPlatform {
  return plugin.create({ settings: { processorEntry: FAKE, stateDir } }) as LocalPlatform;
}

function config(env: Record<string, string> = {}, triggers: Record<string, unknown> = {}): FunctionConfig {
  return validateFunctionConfig({
    metadata: { name: 'fake' },
    spec: { runtime: 'nodejs', handler: 'main:handler', env: Object.entries(env).map(([name, value]) => ({ name, value })), triggers },
  }).config;
}

async function deploy(env: Record<string, string> = {}, readinessTimeoutMs = 5000) {
  const status = await platform().deploy({ config: config(env), functionDir: stateDir, readinessTimeoutMs });
  started.push(status.details?.supervisorPid as number);
  return status;
}

describe('local platform deploy (stand-in processor)', () => {
  it('starts a detached processor, records it, and serves on the recorded port', async () => {
    const status = await deploy({ GREETING: 'hi' });
    expect(status.state).toBe('ready');
    const body = (await (await fetch(status.url!)).json()) as { pid: number; greeting: string };
    expect(body).toEqual({ pid: status.details?.pid, greeting: 'hi' });
    const saved = JSON.parse(await readFile(join(stateDir, 'functions/fake/function.json'), 'utf8')) as FunctionConfig;
    expect(saved.metadata.name).toBe('fake');
  });

  it('replaces a running function on its kept port: the old one stops, the new one serves there', async () => {
    const first = await deploy({ GREETING: 'one' });
    const second = await deploy({ GREETING: 'two' });
    expect(second.details?.pid).not.toBe(first.details?.pid);
    expect(second.url).toBe(first.url);
    // Not isPidAlive: an exited child stays a zombie until this process reaps it.
    expect(isOurProcessor(first.details?.pid as number, FAKE, join(stateDir, 'functions/fake'))).toBe(false);
    expect(isOurProcessor(second.details?.pid as number, FAKE, join(stateDir, 'functions/fake'))).toBe(true);
    expect((await platform().list()).map((s) => [s.name, s.state])).toEqual([['fake', 'ready']]);
    expect(await (await fetch(second.url!)).json()).toMatchObject({ greeting: 'two' });
  });

  it('fails with the log tail when the processor exits, leaving no record and no folder', async () => {
    const error = await deploy({ FAKE_MODE: 'crash' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_DEPLOY_FAILED' });
    expect((error as Error).message).toMatch(/exited with code 1\nthe processor logged:[\s\S]*handler file main.js not found/);
    expect(await platform().list()).toEqual([]);
    expect(existsSync(join(stateDir, 'functions/fake'))).toBe(false);
  });

  it('a failed redeploy on the kept port restarts the previous deployment on that port', async () => {
    const first = await deploy();
    const error = await deploy({ FAKE_MODE: 'never-ready' }, 500).catch((err: unknown) => err);
    expect((error as Error).message).toMatch(/failed \(the previous deployment was restarted\): the processor was not ready within 500 ms/);
    const status = await platform().get('fake');
    expect(status).toMatchObject({ state: 'ready', url: first.url });
    started.push(status?.details?.supervisorPid as number);
    expect(await (await fetch(status!.url!)).json()).toMatchObject({ pid: status?.details?.pid });
  });

  it('a failed redeploy to another port kills the new processor and keeps the previous one serving', async () => {
    const first = await deploy();
    const port = await findFreePort();
    const moved = config({ FAKE_MODE: 'never-ready' }, { web: { kind: 'http', attributes: { port } } });
    const error = await platform().deploy({ config: moved, functionDir: stateDir, readinessTimeoutMs: 500 }).catch((err: unknown) => err);
    expect((error as Error).message).toMatch(/failed \(the previous deployment keeps running\): the processor was not ready within 500 ms/);
    expect(await platform().get('fake')).toMatchObject({ state: 'ready', url: first.url, details: { pid: first.details?.pid } });
  });

  it('reports each step, and "still waiting" about every 5 s while the processor gets ready', async () => {
    const progress: string[] = [];
    const status = await platform().deploy({ config: config({ FAKE_MODE: 'slow' }), functionDir: stateDir, readinessTimeoutMs: 10_000, onProgress: (m) => progress.push(m) });
    started.push(status.details?.supervisorPid as number);
    const port = status.httpPort;
    expect(progress).toEqual([
      `starting processor on 127.0.0.1:${port}`, `waiting for the processor to be ready (supervisor pid ${status.details?.supervisorPid})`,
      'still waiting, 5 s', `ready at http://127.0.0.1:${port}`,
    ]);
  }, 20_000);

  it('delete stops the processor and forgets the function', async () => {
    const status = await deploy();
    expect(isOurProcessor(status.details?.pid as number, FAKE, join(stateDir, 'functions/fake'))).toBe(true);
    await platform().delete('fake');
    expect(isOurProcessor(status.details?.pid as number, FAKE, join(stateDir, 'functions/fake'))).toBe(false);
    expect(await platform().get('fake')).toBeUndefined();
  });
});
