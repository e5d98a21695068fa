import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import { createDockerPlatform } from './index.js';
import { FakeDocker } from './test-support/fake-docker.js';

function config(spec: Record<string, unknown> = {}): FunctionConfig {
  return validateFunctionConfig({ metadata: { name: 'echo' }, spec: { runtime: 'nodejs', handler: 'main:handler', image: 'fn:1', minReplicas: 0, ...spec } }).config;
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(() => { throw new Error('expected a failure'); }, (err: Error) => err);
}

const names = (docker: FakeDocker): string[] => [...docker.containers.values()].map((c) => c.name);

let docker: FakeDocker;
afterEach(async () => docker?.close());
process.env.NUCLEON_HOME = mkdtempSync(join(tmpdir(), 'nucleon-docker-scale-unit-'));

async function deployed(settings: Record<string, unknown> = {}) {
  docker = new FakeDocker();
  const platform = createDockerPlatform({ stopTimeoutSeconds: 3, ...settings }, docker);
  const status = await platform.deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 5_000 });
  return { platform, status, container: docker.find('nucleon-echo')! };
}

describe('DockerPlatform.scale (in-memory engine)', () => {
  it('scale 0 stops the container with its own StopTimeout, keeps it as .zero with restart policy no, and reports scaledToZero on the same port', async () => {
    const { platform, status, container } = await deployed({ restartPolicy: 'always' });
    const progress: string[] = [];
    const zero = await platform.scale('echo', 0, { onProgress: (line) => progress.push(line) });
    // No `t`: Docker applies the container's StopTimeout (3 s, from the settings at create).
    expect(container.stopCalls).toEqual([{}]);
    expect(container.status).toBe('exited');
    expect(names(docker)).toEqual(['nucleon-echo.zero']);
    expect(container.restartPolicy).toBe('no');
    expect(zero).toMatchObject({ state: 'scaledToZero', url: status.url, httpPort: status.httpPort, details: { adminPort: status.details!.adminPort } });
    expect(progress).toEqual(['stopping container nucleon-echo (SIGTERM, up to 3 s to drain)', `scaled to zero (container nucleon-echo.zero kept, port ${status.httpPort})`]);
    // A fresh instance (a restarted CLI) reads the same state from the engine.
    const fresh = createDockerPlatform({}, docker);
    expect((await fresh.list()).map((s) => [s.name, s.state])).toEqual([['echo', 'scaledToZero']]);
    // Scaling to the current count changes nothing.
    expect(await fresh.scale('echo', 0)).toMatchObject({ state: 'scaledToZero', httpPort: status.httpPort });
    expect(container.stopCalls).toHaveLength(1);
  });

  it('scale 1 starts it, waits for ready, renames it back and restores the restart policy; 1 again is a no-op', async () => {
    const { platform, status, container } = await deployed({ restartPolicy: 'always' });
    await platform.scale('echo', 0);
    const progress: string[] = [];
    // Another CLI with other settings wakes it: the policy comes from the container's label.
    const up = await createDockerPlatform({}, docker).scale('echo', 1, { onProgress: (line) => progress.push(line) });
    expect(up).toMatchObject({ state: 'ready', url: status.url, httpPort: status.httpPort, details: { containerId: container.id } });
    expect(names(docker)).toEqual(['nucleon-echo']);
    expect(container.restartPolicy).toBe('always');
    expect(progress).toEqual([`starting container nucleon-echo.zero on 127.0.0.1:${status.httpPort}`, 'waiting for the container to be ready', 'ready']);
    const starts = container.starts;
    expect(await platform.scale('echo', 1)).toMatchObject({ state: 'ready' });
    expect(container.starts).toBe(starts);
  });

  it('two scale calls at once (the scaler and a CLI) both succeed, and the function is kept', async () => {
    const { platform, container } = await deployed();
    const zeros = await Promise.all([platform.scale('echo', 0), createDockerPlatform({}, docker).scale('echo', 0)]);
    expect(zeros.map((s) => s.state)).toEqual(['scaledToZero', 'scaledToZero']);
    expect(names(docker)).toEqual(['nucleon-echo.zero']);
    const ups = await Promise.all([platform.scale('echo', 1), createDockerPlatform({}, docker).scale('echo', 1)]);
    expect(ups.map((s) => s.state)).toEqual(['ready', 'ready']);
    expect(names(docker)).toEqual(['nucleon-echo']);
    expect(docker.find('nucleon-echo')).toBe(container);
  });

  it('a container that cannot become ready fails the wake with its log tail and stays scaled to zero, stopped', async () => {
    const { platform } = await deployed();
    await platform.scale('echo', 0);
    docker.behaviour = { kind: 'exit', code: 1, logs: ['boom: cannot start'] };
    const error = await failure(platform.scale('echo', 1, { readinessTimeoutMs: 2_000 }));
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_FAILED');
    expect(error.message).toMatch(/^scaling function "echo" to 1 on the docker platform failed: the container exited with code 1 \(the container was stopped again and the function stays scaled to zero\)\nlast lines of the container log:[\s\S]*boom: cannot start/);
    expect(names(docker)).toEqual(['nucleon-echo.zero']);
    expect(docker.find('nucleon-echo.zero')!.restartPolicy).toBe('no');
    expect(await platform.get('echo')).toMatchObject({ state: 'scaledToZero' });
  });

  it('a wake the caller gives up on is DEPLOY_INTERRUPTED and leaves the function at zero', async () => {
    const { platform, container } = await deployed();
    await platform.scale('echo', 0);
    const error = await failure(platform.scale('echo', 1, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_INTERRUPTED');
    expect(container.status).toBe('exited');
    expect(await platform.get('echo')).toMatchObject({ state: 'scaledToZero' });
  });

  it('refuses more than one container, and bad counts, with USAGE before touching anything; unknown names are FUNCTION_NOT_FOUND', async () => {
    const { platform, container } = await deployed();
    const many = await failure(platform.scale('echo', 3));
    expect(many.code).toBe('NUCLEON_ERR_USAGE');
    expect(many.message).toContain('the docker platform runs one container per function; scale to 0 or 1');
    for (const bad of [-1, 1.5, Number.NaN]) expect((await failure(platform.scale('echo', bad))).code).toBe('NUCLEON_ERR_USAGE');
    expect(container.stopCalls).toEqual([]);
    expect((await failure(platform.scale('nope', 0))).code).toBe('NUCLEON_ERR_FUNCTION_NOT_FOUND');
  });

  it('a container stopped by hand is "stopped", not scaledToZero; scale 0 makes it scaled to zero', async () => {
    const { platform, container } = await deployed();
    await docker.getContainer(container.id).stop();
    expect(await platform.get('echo')).toMatchObject({ state: 'stopped' });
    expect(await platform.scale('echo', 0)).toMatchObject({ state: 'scaledToZero' });
    expect(names(docker)).toEqual(['nucleon-echo.zero']);
  });

  it('at zero: logs are the stopped container\'s, delete removes it, and deploy replaces it with a serving container', async () => {
    const { platform } = await deployed();
    await platform.scale('echo', 0);
    const lines: string[] = [];
    for await (const line of platform.logs('echo')) lines.push(line);
    expect(lines).toEqual(['processor ready']);
    const redeployed = await platform.deploy({ config: config({ image: 'fn:2' }), functionDir: '/f', readinessTimeoutMs: 5_000 });
    expect(redeployed).toMatchObject({ state: 'ready', details: { image: 'fn:2' } });
    expect(names(docker)).toEqual(['nucleon-echo']);
    await platform.scale('echo', 0);
    await platform.delete('echo');
    expect(names(docker)).toEqual([]);
    expect(await platform.get('echo')).toBeUndefined();
  });
});
