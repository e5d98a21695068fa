import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import { containerSpec } from './container-spec.js';
import { createDockerPlatform } from './index.js';
import { resolveSettings } from './settings.js';
import { FakeDocker } from './test-support/fake-docker.js';

function config(spec: Record<string, unknown> = {}): FunctionConfig {
  return validateFunctionConfig({ metadata: { name: 'echo' }, spec: { runtime: 'nodejs', handler: 'main:handler', image: 'fn:1', ...spec } }).config;
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(() => { throw new Error('expected a failure'); }, (err: Error) => err);
}

let docker: FakeDocker;
afterEach(async () => docker?.close());
// Deploys publish function addresses under NUCLEON_HOME: keep them out of the real one.
process.env.NUCLEON_HOME = mkdtempSync(join(tmpdir(), 'nucleon-docker-unit-'));

describe('DockerPlatform (in-memory engine)', () => {
  it('refuses a function without spec.image with a coded error that says how to get one', async () => {
    docker = new FakeDocker();
    const error = await failure(createDockerPlatform({}, docker).deploy({ config: config({ image: undefined }), functionDir: '/f' }));
    expect(error.code).toBe('NUCLEON_ERR_INVALID_CONFIG');
    expect(error.message).toContain('the docker platform deploys images: build one with `nucleon build` or pass --image');
    expect(docker.created).toEqual([]);
  });

  it('never pulls: an image missing from the engine is a DEPLOY_FAILED', async () => {
    docker = new FakeDocker();
    const error = await failure(createDockerPlatform({}, docker).deploy({ config: config({ image: 'elsewhere:9' }), functionDir: '/f' }));
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_FAILED');
    expect(error.message).toMatch(/elsewhere:9 is not on this Docker engine/);
  });

  it('deploys under a temporary name, renames once ready, and a fresh instance reads it back', async () => {
    docker = new FakeDocker();
    const status = await createDockerPlatform({}, docker).deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 5_000 });
    expect(docker.created[0]?.name).toBe('nucleon-echo.next');
    expect([...docker.containers.values()].map((c) => c.name)).toEqual(['nucleon-echo']);
    expect(status).toMatchObject({ name: 'echo', platform: 'docker', state: 'ready', runtime: 'nodejs', handler: 'main:handler' });
    expect(status.url).toBe(`http://127.0.0.1:${status.httpPort}`);
    const fresh = createDockerPlatform({}, docker);
    expect(await fresh.get('echo')).toMatchObject({ state: 'ready', url: status.url });
    expect((await fresh.list()).map((s) => s.name)).toEqual(['echo']);
    // The configuration comes back from the container's labels (get -o yaml, export, the scaler).
    expect((await fresh.getConfig('echo'))?.spec.image).toBe('fn:1');
    expect(await fresh.getConfig('nobody')).toBeUndefined();
  });

  it('reports every trigger address the processor gives, and the restart count Docker keeps', async () => {
    docker = new FakeDocker();
    const platform = createDockerPlatform({}, docker);
    const first = await platform.deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 5_000 });
    // A processor without /addresses: the one address the labels record, the default trigger's.
    expect(first.addresses).toEqual([{ trigger: 'default-http', kind: 'http', url: first.url }]);
    expect(first.restarts).toBe(0);
    const both = [{ trigger: 'default-http', kind: 'http', url: first.url }, { trigger: 'b', kind: 'http', url: 'http://127.0.0.1:45678' }];
    docker.addresses = { addresses: both };
    docker.find('nucleon-echo')!.restartCount = 2;
    expect(await platform.get('echo')).toMatchObject({ addresses: both, restarts: 2 });
  });

  it('redeploys on new ports and removes the old container only after the new one is ready', async () => {
    docker = new FakeDocker();
    const platform = createDockerPlatform({ stopTimeoutSeconds: 3 }, docker);
    const first = await platform.deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 5_000 });
    const oldContainer = docker.find('nucleon-echo')!;
    const second = await platform.deploy({ config: config({ image: 'fn:2' }), functionDir: '/f', readinessTimeoutMs: 5_000 });
    expect(second.httpPort).not.toBe(first.httpPort);
    expect(oldContainer.stopCalls).toEqual([{ t: 3 }]);
    expect(docker.containers.has(oldContainer.id)).toBe(false);
    expect([...docker.containers.values()].map((c) => c.name)).toEqual(['nucleon-echo']);
    expect(await platform.get('echo')).toMatchObject({ state: 'ready', details: { image: 'fn:2' } });
  });

  it('a container that exits while starting fails the deploy with its log tail, is removed, and the old one stays', async () => {
    docker = new FakeDocker();
    const platform = createDockerPlatform({}, docker);
    await platform.deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 5_000 });
    docker.behaviour = { kind: 'exit', code: 1, logs: Array.from({ length: 30 }, (_, i) => `log line ${i}`) };
    const error = await failure(platform.deploy({ config: config({ image: 'fn:2' }), functionDir: '/f', readinessTimeoutMs: 5_000 }));
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_FAILED');
    expect(error.message).toMatch(/exited with code 1[\s\S]*log line 29/);
    expect([...docker.containers.values()].map((c) => c.name)).toEqual(['nucleon-echo']);
    expect(await platform.get('echo')).toMatchObject({ state: 'ready', details: { image: 'fn:1' } });
  });

  it('refuses to deploy while another deploy holds the candidate name', async () => {
    docker = new FakeDocker();
    const platform = createDockerPlatform({}, docker);
    await docker.createContainer({ name: 'nucleon-echo.next', Image: 'fn:1', Labels: { 'io.nucleon.stale-after': new Date(Date.now() + 60_000).toISOString() } });
    const error = await failure(platform.deploy({ config: config(), functionDir: '/f' }));
    expect(error.message).toMatch(/another nucleon command is deploying "echo"/);
  });

  it('reports an exited container as error with its exit code, and deletes with SIGTERM grace', async () => {
    docker = new FakeDocker();
    const platform = createDockerPlatform({ stopTimeoutSeconds: 4 }, docker);
    await platform.deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 5_000 });
    const container = docker.find('nucleon-echo')!;
    await docker.getContainer(container.id).stop();
    container.exitCode = 3;
    expect(await platform.get('echo')).toMatchObject({ state: 'error', message: 'container exited with code 3' });
    await platform.delete('echo');
    expect(container.stopCalls.at(-1)).toEqual({ t: 4 });
    expect(await platform.get('echo')).toBeUndefined();
    expect(await platform.list()).toEqual([]);
  });

  it('unknown names are FUNCTION_NOT_FOUND for delete and logs', async () => {
    docker = new FakeDocker();
    const platform = createDockerPlatform({}, docker);
    expect((await failure(platform.delete('nope'))).code).toBe('NUCLEON_ERR_FUNCTION_NOT_FOUND');
    const iterate = async (): Promise<void> => {
      for await (const _ of platform.logs('nope')) break;
    };
    expect((await failure(iterate())).code).toBe('NUCLEON_ERR_FUNCTION_NOT_FOUND');
  });

  it('reports a first deploy still waiting for readiness as deploying', async () => {
    docker = new FakeDocker();
    const platform = createDockerPlatform({}, docker);
    await docker.createContainer(containerSpec({
      config: config(), image: 'fn:1', name: 'nucleon-echo.next', httpPort: 1, adminPort: 2, hasHttpTrigger: true,
      createdAt: new Date().toISOString(), staleAfter: new Date(Date.now() + 60_000).toISOString(),
    }, resolveSettings()));
    expect(await platform.get('echo')).toMatchObject({ name: 'echo', state: 'deploying' });
    expect((await platform.list()).map((s) => s.state)).toEqual(['deploying']);
  });
});
