import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionConfig, sleep, validateFunctionConfig } from '@nucleon/core';
import { createDockerPlatform } from './index.js';
import { prepareTestImages, type TestImages } from './test-support/test-images.js';

// Against the real engine (scripts/services/docker.sh start), on the default host network.
const docker = new Docker();
const runId = randomBytes(3).toString('hex');
const ZERO = `dk-zero-${runId}`;
const ONCE = `dk-once-${runId}`;
let images: TestImages;
let zeroImage: string;
let onceImage: string;

const HANDLER = `exports.handler = (context, event) => {
  context.logger.infoWith('zero called', { path: event.path });
  return { pid: process.pid, path: event.path };
};
`;
// Starts once: the marker stays in the stopped container's filesystem, so a wake fails to load
// the handler (the processor exits at start), as a function whose dependency went away would.
const ONCE_HANDLER = `const fs = require('node:fs');
fs.mkdirSync('/tmp', { recursive: true });
if (fs.existsSync('/tmp/started-once')) throw new Error('this function refuses a second start');
fs.writeFileSync('/tmp/started-once', 'yes');
exports.handler = () => 'once';
`;

function yaml(name: string): string {
  return `apiVersion: nuclio.io/v1\nkind: NuclioFunction\nmetadata:\n  name: ${name}\nspec:\n  runtime: nodejs\n  handler: main:handler\n  minReplicas: 0\n` +
    '  triggers:\n    http:\n      kind: http\n';
}

function config(name: string, image: string): FunctionConfig {
  return validateFunctionConfig({
    metadata: { name },
    spec: { runtime: 'nodejs', handler: 'main:handler', image, minReplicas: 0, triggers: { http: { kind: 'http' } } },
  }).config;
}

// `always` is the policy that would revive a stopped container when the engine restarts.
const platform = () => createDockerPlatform({ stopTimeoutSeconds: 2, restartPolicy: 'always' });

async function invoke(url: string): Promise<number> {
  const res = await fetch(new URL('/hello', url), { signal: AbortSignal.timeout(3_000) });
  await res.arrayBuffer();
  return res.status;
}

/** Holds 127.0.0.1:port as the scaler's activator does: SO_REUSEPORT, same uid as the processor. */
async function holdPort(port: number): Promise<Server> {
  const server = createServer((socket) => {
    socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', reusePort: true }, resolve);
  });
  return server;
}

beforeAll(async () => {
  images = await prepareTestImages();
  zeroImage = await images.functionImage('zero', { files: { 'main.js': HANDLER, 'function.yaml': yaml(ZERO) } });
  onceImage = await images.functionImage('once', { files: { 'main.js': ONCE_HANDLER, 'function.yaml': yaml(ONCE) } });
}, 240_000);

afterAll(async () => {
  for (const fn of [ZERO, ONCE]) {
    for (const suffix of ['', '.next', '.old', '.zero']) await docker.getContainer(`nucleon-${fn}${suffix}`).remove({ force: true }).catch(() => undefined);
  }
  await images?.remove();
}, 60_000);

describe('docker platform: scale to zero and back', () => {
  it('scale 0 keeps the stopped container and its port (restart policy does not revive it); scale 1 wakes it beside a port holder and it answers on the same URL; delete at zero', async () => {
    const up = await platform().deploy({ config: config(ZERO, zeroImage), functionDir: '/unused', readinessTimeoutMs: 60_000 });
    expect(await invoke(up.url!)).toBe(200);
    const before = await docker.getContainer(`nucleon-${ZERO}`).inspect();
    expect(before.Config.Env).toContain('NUCLEON_HTTP_REUSE_PORT=1');

    const progress: string[] = [];
    const zero = await platform().scale(ZERO, 0, { onProgress: (line) => progress.push(line) });
    expect(zero).toMatchObject({ state: 'scaledToZero', url: up.url, httpPort: up.httpPort, details: { adminPort: up.details!.adminPort } });
    expect(progress[0]).toMatch(/^stopping container nucleon-dk-zero-\w+ \(SIGTERM, up to 2 s to drain\)$/);
    await expect(invoke(up.url!)).rejects.toThrow();
    const stopped = await docker.getContainer(`nucleon-${ZERO}.zero`).inspect();
    expect(stopped.Id).toBe(before.Id);
    expect(stopped.State.Running).toBe(false);
    // The processor drained and exited by itself on SIGTERM (0), not Docker's SIGKILL (137).
    expect(stopped.State.ExitCode).toBe(0);
    expect(stopped.HostConfig.RestartPolicy?.Name).toBe('no');
    await expect(docker.getContainer(`nucleon-${ZERO}`).inspect()).rejects.toMatchObject({ statusCode: 404 });

    // The `always` policy would have brought a plainly stopped container back at an engine restart;
    // it is `no` now, and nothing restarts it meanwhile. A new instance (a restarted CLI) agrees.
    await sleep(3_000);
    const later = await docker.getContainer(stopped.Id).inspect();
    expect(later.State.Running).toBe(false);
    expect(later.RestartCount).toBe(0);
    const fresh = platform();
    expect(await fresh.get(ZERO)).toMatchObject({ state: 'scaledToZero', httpPort: up.httpPort });
    expect((await fresh.list()).find((s) => s.name === ZERO)?.state).toBe('scaledToZero');
    const lines: string[] = [];
    for await (const line of fresh.logs(ZERO)) lines.push(line);
    expect(lines.some((l) => l.includes('"zero called"'))).toBe(true);
    expect(await fresh.scale(ZERO, 0)).toMatchObject({ state: 'scaledToZero' });

    // Wake while something holds the port with SO_REUSEPORT (the activator's part): the processor
    // binds beside it, becomes ready, and once the holder lets go every request reaches the function.
    const holder = await holdPort(up.httpPort!);
    const wakeProgress: string[] = [];
    const started = Date.now();
    let woken;
    try {
      woken = await platform().scale(ZERO, 1, { onProgress: (line) => wakeProgress.push(line), readinessTimeoutMs: 30_000 });
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    console.info(`wake from zero: scale(1) took ${Date.now() - started} ms`);
    expect(woken).toMatchObject({ state: 'ready', url: up.url, httpPort: up.httpPort, details: { containerId: before.Id } });
    expect(wakeProgress).toEqual([`starting container nucleon-${ZERO}.zero on 127.0.0.1:${up.httpPort}`, 'waiting for the container to be ready', 'ready']);
    for (let i = 0; i < 5; i++) expect(await invoke(up.url!)).toBe(200);
    const awake = await docker.getContainer(`nucleon-${ZERO}`).inspect();
    expect(awake.HostConfig.RestartPolicy?.Name).toBe('always');
    expect(awake.State.Running).toBe(true);
    expect(await platform().scale(ZERO, 1)).toMatchObject({ state: 'ready' });
    await expect(platform().scale(ZERO, 2)).rejects.toMatchObject({ code: 'NUCLEON_ERR_USAGE' });

    await platform().scale(ZERO, 0);
    await platform().delete(ZERO);
    expect(await platform().get(ZERO)).toBeUndefined();
    const left = await docker.listContainers({ all: true, filters: { label: [`io.nucleon.function=${ZERO}`] } });
    expect(left).toEqual([]);
    await expect(platform().scale(ZERO, 1)).rejects.toMatchObject({ code: 'NUCLEON_ERR_FUNCTION_NOT_FOUND' });
  }, 120_000);

  it('a wake whose container cannot become ready fails with its log tail and leaves the function scaled to zero; a deploy then replaces it', async () => {
    const up = await platform().deploy({ config: config(ONCE, onceImage), functionDir: '/unused', readinessTimeoutMs: 60_000 });
    await platform().scale(ONCE, 0);
    const error = await platform().scale(ONCE, 1, { readinessTimeoutMs: 30_000 })
      .then((): Error & { code?: string } => new Error('the wake succeeded'), (err: unknown) => err as Error & { code?: string });
    expect(error.message).toMatch(new RegExp(`^scaling function "${ONCE}" to 1 on the docker platform failed: .*\\(the container was stopped again and the function stays scaled to zero\\)`));
    expect(error.message).toMatch(/last lines of the container log:[\s\S]*this function refuses a second start/);
    expect(['NUCLEON_ERR_HANDLER_LOAD', 'NUCLEON_ERR_DEPLOY_FAILED']).toContain(error.code);
    const zero = await docker.getContainer(`nucleon-${ONCE}.zero`).inspect();
    expect(zero.State.Running).toBe(false);
    expect(zero.HostConfig.RestartPolicy?.Name).toBe('no');
    expect(await platform().get(ONCE)).toMatchObject({ state: 'scaledToZero', httpPort: up.httpPort });

    // A deploy of a function at zero replaces it as usual (a new container, so the marker is gone too).
    const again = await platform().deploy({ config: config(ONCE, onceImage), functionDir: '/unused', readinessTimeoutMs: 60_000 });
    expect(again.state).toBe('ready');
    expect(await invoke(again.url!)).toBe(200);
    await expect(docker.getContainer(`nucleon-${ONCE}.zero`).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await platform().delete(ONCE);
  }, 180_000);
});
