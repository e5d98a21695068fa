import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionConfig, sleep, validateFunctionConfig } from '@nucleon/core';
import plugin from './index.js';
import { prepareTestImages, type TestImages } from './test-support/test-images.js';

// Against the real engine (scripts/services/docker.sh start). Function images come from the
// test-only builder in test-support/, which needs no registry.
const run = promisify(execFile);
const docker = new Docker();
const runId = randomBytes(3).toString('hex');
const ECHO = `dk-echo-${runId}`;
const BROKEN = `dk-broken-${runId}`;
let images: TestImages;
let echoImage: string;
let brokenImage: string;

const HANDLER = `export async function handler(context, event) {
  context.logger.infoWith('echo called', { marker: process.env.MARKER });
  return { echoed: JSON.parse(event.body.toString() || 'null'), marker: process.env.MARKER };
}
`;

function functionYaml(name: string, handler: string): string {
  return `apiVersion: nuclio.io/v1\nkind: NuclioFunction\nmetadata:\n  name: ${name}\nspec:\n  runtime: nodejs\n  handler: ${handler}\n` +
    '  triggers:\n    http:\n      kind: http\n';
}

function config(name: string, image: string, marker: string, handler = 'main:handler'): FunctionConfig {
  return validateFunctionConfig({
    metadata: { name },
    spec: { runtime: 'nodejs', handler, image, env: [{ name: 'MARKER', value: marker }], triggers: { http: { kind: 'http' } } },
  }).config;
}

function platform() {
  return plugin.create({ settings: { stopTimeoutSeconds: 5 } });
}

async function invoke(url: string, n: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ n }), signal: AbortSignal.timeout(2_000) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  images = await prepareTestImages();
  echoImage = await images.functionImage('echo', { files: { 'main.js': HANDLER, 'function.yaml': functionYaml(ECHO, 'main:handler') } });
  brokenImage = await images.functionImage('broken', { files: { 'main.js': HANDLER, 'function.yaml': functionYaml(BROKEN, 'nothere:handler') } });
}, 180_000);

afterAll(async () => {
  // Every container this file may have made, settled or mid-deploy, then every image.
  for (const fn of [ECHO, BROKEN]) {
    for (const name of [`nucleon-${fn}`, `nucleon-${fn}.next`, `nucleon-${fn}.old`]) {
      await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    }
  }
  await images?.remove();
}, 60_000);

describe('docker platform against the real engine', () => {
  it('deploys, serves, reports, logs, survives a CLI restart, redeploys with a short switch-over and deletes', async () => {
    const first = await platform().deploy({ config: config(ECHO, echoImage, 'm-1'), functionDir: '/unused', readinessTimeoutMs: 30_000 });
    expect(first).toMatchObject({ name: ECHO, platform: 'docker', state: 'ready', runtime: 'nodejs', handler: 'main:handler' });
    expect(await invoke(first.url!, 1)).toEqual({ status: 200, body: { echoed: { n: 1 }, marker: 'm-1' } });

    // A fresh instance (a restarted CLI) rebuilds the status from the container's labels.
    const restarted = platform();
    expect(await restarted.get(ECHO)).toMatchObject({ state: 'ready', url: first.url, details: { containerName: `nucleon-${ECHO}`, image: echoImage } });
    expect((await restarted.list()).map((s) => s.name)).toContain(ECHO);

    // The Docker health check's own command passes inside the image (node, no curl). It runs in
    // a sibling container of the same image on the host network rather than through `docker
    // exec`, which an engine that itself runs in a chroot (the fresh-machine check) cannot do.
    const inspected = await docker.getContainer(`nucleon-${ECHO}`).inspect();
    const check = inspected.Config.Healthcheck?.Test ?? [];
    expect(check.slice(0, 2)).toEqual(['CMD', 'node']);
    await run('docker', ['run', '--rm', '--network', 'host', '--entrypoint', 'node', echoImage, ...check.slice(2)]);
    // ... and it fails when /ready does not answer 200 (a check that always passes proves nothing).
    const wrongPort = check.slice(2).map((arg) => arg.replace(/port:\d+/, 'port:1'));
    await expect(run('docker', ['run', '--rm', '--network', 'host', '--entrypoint', 'node', echoImage, ...wrongPort])).rejects.toThrow();

    const lines: string[] = [];
    for await (const line of restarted.logs(ECHO)) lines.push(line);
    expect(lines.some((l) => l.includes('"echo called"') && l.includes('"m-1"'))).toBe(true);

    // Follow replays the log, then sees a line written after it started, and ends when aborted.
    const abort = new AbortController();
    const stopFollowing = setTimeout(() => abort.abort(), 10_000);
    const followed = (async () => {
      let calls = 0;
      for await (const line of restarted.logs(ECHO, { follow: true, signal: abort.signal })) {
        if (line.includes('"echo called"') && ++calls === 2) abort.abort();
      }
      return calls;
    })();
    await sleep(300);
    await invoke(first.url!, 2);
    expect(await followed).toBe(2);
    clearTimeout(stopFollowing);

    // Redeploy while a client keeps invoking the URL it knows; it learns the new one when the
    // deploy resolves. Only the switch-over itself may fail.
    let url = first.url!;
    let deploying = true;
    const failures: number[] = [];
    let ok = 0;
    const client = (async () => {
      for (let n = 0; deploying && n < 5_000; n++) {
        try {
          const { status } = await invoke(url, n);
          if (status === 200) ok++;
          else failures.push(Date.now());
        } catch {
          failures.push(Date.now());
        }
        await sleep(10);
      }
    })();
    const second = await platform().deploy({ config: config(ECHO, echoImage, 'm-2'), functionDir: '/unused', readinessTimeoutMs: 30_000 });
    url = second.url!;
    await sleep(200);
    deploying = false;
    await client;
    expect(second.httpPort).not.toBe(first.httpPort);
    expect(ok).toBeGreaterThan(10);
    console.info(`redeploy: ${ok} ok, ${failures.length} failed over ${failures.length ? failures.at(-1)! - failures[0]! : 0} ms`);
    const span = failures.length === 0 ? 0 : failures.at(-1)! - failures[0]!;
    expect(span).toBeLessThan(3_000);
    expect((await invoke(second.url!, 3)).body).toEqual({ echoed: { n: 3 }, marker: 'm-2' });
    expect(await platform().get(ECHO)).toMatchObject({ state: 'ready', url: second.url });
    const containers = await docker.listContainers({ all: true, filters: { label: [`io.nucleon.function=${ECHO}`] } });
    expect(containers.map((c) => c.Names[0])).toEqual([`/nucleon-${ECHO}`]);

    await platform().delete(ECHO);
    expect(await platform().get(ECHO)).toBeUndefined();
    await expect(docker.getContainer(`nucleon-${ECHO}`).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await expect(platform().delete(ECHO)).rejects.toMatchObject({ code: 'NUCLEON_ERR_FUNCTION_NOT_FOUND' });
  }, 90_000);

  it("a processor that fails at start fails the deploy with its own code and message, its log lines, and leaves no container", async () => {
    const progress: string[] = [];
    const error = await platform()
      .deploy({ config: config(BROKEN, brokenImage, 'x', 'nothere:handler'), functionDir: '/unused', readinessTimeoutMs: 30_000, onProgress: (m) => progress.push(m) })
      .catch((err: unknown) => err as Error & { code?: string });
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_HANDLER_NOT_FOUND' });
    expect((error as Error).message).toMatch(/^deploying function "dk-broken-\w+" on the docker platform failed: .*nothere/);
    expect((error as Error).message).toMatch(/last lines of the container log:[\s\S]*processor failed to start/);
    expect(progress).toEqual([expect.stringMatching(/^starting container nucleon-dk-broken-\w+\.next from .* on 127\.0\.0\.1:\d+$/), 'waiting for the container to be ready']);
    const left = await docker.listContainers({ all: true, filters: { label: [`io.nucleon.function=${BROKEN}`] } });
    expect(left).toEqual([]);
    expect(await platform().get(BROKEN)).toBeUndefined();
  }, 60_000);

  it('never pulls: an image that is not on the engine fails at once', async () => {
    const started = Date.now();
    await expect(platform().deploy({ config: config(BROKEN, `nucleon-test/absent:${runId}`, 'x'), functionDir: '/unused' }))
      .rejects.toMatchObject({ code: 'NUCLEON_ERR_DEPLOY_FAILED', message: expect.stringContaining('never pulls') });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
