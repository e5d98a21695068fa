import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killIfAlive, runNucleon, type CliResult, dockerQuietly } from './test-helpers/cli-process.js';

// Scale to zero on the real Docker engine through the built CLI: deploy starts the scaler, the
// container idles to zero (stopped and kept), 50 concurrent requests wake it and all get their
// own answer, and a container that cannot start again answers the held requests 503.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RUN = Date.now().toString(36);
let home: string;
let env: NodeJS.ProcessEnv;
const functions: string[] = [];
const images = new Set<string>();

const nucleon = (...args: string[]): Promise<CliResult> => runNucleon(args, { cwd: home, env, timeoutMs: 240_000 });
const docker = dockerQuietly;

beforeAll(async () => {
  execFileSync('bash', [join(ROOT, 'scripts/services/docker.sh'), 'start'], { stdio: 'inherit', timeout: 180_000 });
  home = await mkdtemp(join(tmpdir(), 'nucleon-cli-s2z-docker-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '' };
}, 200_000);

afterAll(async () => {
  const record = await readFile(join(home, 'scaler', 'docker', 'scaler.json'), 'utf8').then((t) => JSON.parse(t) as { pid: number }, () => undefined);
  await nucleon('scaler', 'stop', '--platform', 'docker');
  killIfAlive(record?.pid, 'scaler');
  for (const name of functions) docker('rm', '-f', `nucleon-${name}`, `nucleon-${name}.zero`, `nucleon-${name}.next`, `nucleon-${name}.old`);
  for (const image of images) docker('rmi', '-f', image);
  await rm(home, { recursive: true, force: true });
});

async function deployFunction(label: string, handler: string): Promise<{ name: string; url: string; adminPort: number }> {
  const name = `s2z-${label}-${RUN}`;
  functions.push(name);
  const dir = join(home, name);
  await rm(dir, { recursive: true, force: true });
  await execFileSync('mkdir', ['-p', dir]);
  await writeFile(join(dir, 'main.js'), handler);
  await writeFile(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  await writeFile(join(dir, 'function.yaml'), `metadata: { name: ${name} }\nspec:\n  runtime: nodejs\n  handler: main:handler\n  minReplicas: 0\n` +
    '  scaleToZero: { scaleResources: [{ windowSize: 2s }] }\n');
  const deployed = await nucleon('deploy', dir, '--platform', 'docker');
  expect(deployed.code, deployed.stderr).toBe(0);
  const view = JSON.parse((await nucleon('get', name, '--platform', 'docker', '-o', 'json')).stdout) as {
    spec: { image: string }; status: { url: string; details: { adminPort: number } };
  };
  images.add(view.spec.image);
  return { name, url: view.status.url, adminPort: view.status.details.adminPort };
}

async function waitForZero(name: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if ((await nucleon('get', name, '--platform', 'docker')).stdout.includes('scaled to zero')) return;
    if (Date.now() > until) {
      const log = await readFile(join(home, 'scaler', 'docker', 'scaler.log'), 'utf8').catch(() => '(no scaler log)');
      throw new Error(`"${name}" never scaled to zero; the scaler's log:\n${log.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('scale to zero on the Docker platform (built CLI, real engine)', () => {
  it('idles the container to zero, and 50 concurrent requests wake it, each answered once', async () => {
    const fn = await deployFunction('echo', 'exports.handler = async (context, event) => ({ path: event.path });\n');
    await waitForZero(fn.name);
    expect(docker('ps', '-a', '--filter', `name=nucleon-${fn.name}.zero`, '--format', '{{.State}}').trim()).toBe('exited');
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${fn.url}/r${i}`)
      .then(async (res) => ({ status: res.status, body: await res.json() as { path: string } }))));
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(replies.map((r) => r.body.path)).toEqual(Array.from({ length: 50 }, (_, i) => `/r${i}`));
    const metrics = await (await fetch(`http://127.0.0.1:${fn.adminPort}/metrics`)).text();
    const handled = metrics.split('\n').filter((l) => l.startsWith('nucleon_events_total{')).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    expect(handled).toBe(50);
  }, 180_000);

  it('a container that cannot start again answers the held requests 503, and the scaler stays up', async () => {
    const once = `const fs = require('node:fs');
if (fs.existsSync('/tmp/started-once')) throw new Error('this function refuses a second start');
fs.writeFileSync('/tmp/started-once', 'yes');
exports.handler = () => 'once';
`;
    const fn = await deployFunction('once', once);
    await waitForZero(fn.name);
    const replies = await Promise.all(Array.from({ length: 3 }, () => fetch(`${fn.url}/`).then(async (res) => ({ status: res.status, text: await res.text() }))));
    for (const reply of replies) {
      expect(reply.status).toBe(503);
      expect(reply.text).toMatch(/could not wake function/);
    }
    expect((await nucleon('scaler', 'status', '--platform', 'docker')).stdout).toMatch(/scaler running for the docker platform/);
    expect((await nucleon('get', fn.name, '--platform', 'docker')).stdout).toMatch(/scaled to zero/);
  }, 180_000);
});
