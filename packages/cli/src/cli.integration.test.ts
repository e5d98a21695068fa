import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, killIfAlive, processRunning, recordedPids, runNucleon, startNucleon, waitFor, type CliResult } from './test-helpers/cli-process.js';

const PROCESSOR_MAIN = 'processor/dist/main.js';
let home: string;
let env: NodeJS.ProcessEnv;
const started: number[] = [];

function nucleon(...args: string[]): Promise<CliResult> {
  return runNucleon(args, { cwd: home, env });
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm -r build" first`);
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-cli-it-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '' };
});
afterEach(async () => {
  for (const pid of recordedPids(home)) killIfAlive(pid, PROCESSOR_MAIN);
  for (const pid of started.splice(0)) killIfAlive(pid, 'nucleon');
  await rm(home, { recursive: true, force: true });
});

describe('nucleon CLI (built binary, real processes)', () => {
  it('init -> deploy -> invoke -> get -> logs -> delete', async () => {
    const init = await nucleon('init', 'greeter');
    expect(init.code).toBe(0);
    expect(await readFile(join(home, 'greeter', 'function.yaml'), 'utf8')).toMatch(/kind: NuclioFunction[\s\S]*runtime: nodejs/);

    const deploy = await nucleon('deploy', 'greeter');
    expect(deploy.stderr).not.toContain('warning:');
    expect(deploy.stderr).toMatch(/^deploy: validating the configuration\n/);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toMatch(/function "greeter" deployed on local\n {2}state: ready\n {2}url: {3}http:\/\/127\.0\.0\.1:\d+/);

    const invoke = await nucleon('invoke', 'greeter', '-b', '{"name":"Ada","n":[1,2]}', '-p', '/hi', '-v');
    expect(invoke.code).toBe(0);
    expect(JSON.parse(invoke.stdout)).toEqual({ message: 'Hello from greeter!', method: 'POST', path: '/hi', received: { name: 'Ada', n: [1, 2] } });
    expect(invoke.stderr).toMatch(/^HTTP 200 OK\n[\s\S]*content-type: application\/json/);

    const get = await nucleon('get', 'greeter', '-o', 'json');
    expect(get.code).toBe(0);
    const view = JSON.parse(get.stdout) as { status: { state: string; url: string; details: { pid: number } } };
    expect(view).toMatchObject({ metadata: { name: 'greeter' }, spec: { runtime: 'nodejs' }, status: { platform: 'local', state: 'ready' } });
    const { status } = view;
    expect(deploy.stdout).toContain(status.url);

    const table = await nucleon('get');
    expect(table.stdout).toMatch(/^NAME\s+STATE\s+URL\s+RUNTIME\ngreeter\s+ready\s+http:\/\/127\.0\.0\.1:\d+\s+nodejs\n$/);

    const logs = await nucleon('logs', 'greeter');
    expect(logs.code).toBe(0);
    expect(logs.stdout.split('\n').some((l) => l.includes('"msg":"greeter called"') && l.includes('"path":"/hi"'))).toBe(true);

    const del = await nucleon('delete', 'greeter');
    expect(del).toMatchObject({ code: 0, stdout: 'function "greeter" deleted\n' });
    expect(processRunning(status.details.pid)).toBe(false);
    const gone = await nucleon('get', 'greeter');
    expect(gone).toMatchObject({ code: 3, stderr: 'error: function "greeter" not found on the local platform\n' });
    expect((await nucleon('invoke', 'greeter')).code).toBe(3);
  });

  it('deploys the TypeScript template and answers an invoke with status >= 400 with exit 1', async () => {
    expect((await nucleon('init', 'tsfn', '--runtime', 'typescript')).code).toBe(0);
    expect(await readFile(join(home, 'tsfn', 'main.ts'), 'utf8')).toContain("import type { Context, Event } from '@nucleon/core'");
    const deploy = await nucleon('deploy', '-p', 'tsfn', '-e', 'UNUSED=1', '-o', 'json');
    expect(deploy.code).toBe(0);
    expect(JSON.parse(deploy.stdout)).toMatchObject({ name: 'tsfn', state: 'ready', runtime: 'typescript' });
    const invoke = await nucleon('invoke', 'tsfn', '-b', 'plain text');
    expect(JSON.parse(invoke.stdout)).toMatchObject({ received: 'plain text' });

    await writeFile(join(home, 'tsfn', 'main.ts'), 'export const handler = (c: any) => new c.Response({ body: "nope", statusCode: 418 });\n');
    expect((await nucleon('deploy', 'tsfn')).code).toBe(0);
    const teapot = await nucleon('invoke', 'tsfn');
    expect(teapot).toMatchObject({ code: 1, stdout: 'nope' });
    expect(teapot.stderr).toContain('error: function "tsfn" answered HTTP 418');
  });

  it('follows logs until SIGINT, and reports a killed processor as stopped', async () => {
    await writeFile(join(home, 'chatty.js'), 'export const handler = (ctx, ev) => { ctx.logger.info("seen " + ev.path); return "ok"; };\n');
    expect((await nucleon('deploy', 'chatty.js')).code).toBe(0);
    const follower = startNucleon(['logs', 'chatty', '-f'], { cwd: home, env });
    started.push(follower.child.pid!);
    const followed = new Promise<number | null>((resolve) => follower.child.once('exit', (code) => resolve(code)));
    await waitFor(() => (follower.output().includes('processor ready') ? true : undefined));
    expect((await nucleon('invoke', 'chatty', '-p', '/later')).code).toBe(0);
    await waitFor(() => (follower.output().includes('seen /later') ? true : undefined));
    follower.child.kill('SIGINT');
    expect(await followed).toBe(0);

    const { details } = (JSON.parse((await nucleon('get', 'chatty', '-o', 'json')).stdout) as { status: { details: { pid: number; supervisorPid: number } } }).status;
    // A processor alone would be restarted by its supervisor: kill the whole process group.
    killIfAlive(-details.supervisorPid);
    await waitFor(() => (processRunning(details.pid) ? undefined : true));
    expect((await nucleon('get')).stdout).toMatch(/chatty\s+stopped/);
    const invoke = await nucleon('invoke', 'chatty');
    expect(invoke.code).toBe(1);
    expect(invoke.stderr).toMatch(/^error: function "chatty" is stopped/);
    expect((await nucleon('delete', 'chatty')).code).toBe(0);
  });

  it('runs a single .js file in the foreground and stops gracefully on SIGTERM', async () => {
    await writeFile(join(home, 'Ping_Pong.js'), 'export const handler = (ctx) => { ctx.logger.info("pinged"); return "pong " + process.env.WHO; };\n');
    const { child, output } = startNucleon(['run', 'Ping_Pong.js', '--http-port', '0', '-e', 'WHO=me'], { cwd: home, env });
    started.push(child.pid!);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await waitFor(() => /function "ping-pong" is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1]);
    expect(await (await fetch(url)).text()).toBe('pong me');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toMatch(/SIGTERM: draining[\s\S]*stopped/);
    expect(output()).toContain('"msg":"pinged"');
  });

  it('init --runtime shell -> run -> curl -> SIGTERM', async () => {
    expect((await nucleon('init', 'sheller', '--runtime', 'shell')).code).toBe(0);
    expect(await readFile(join(home, 'sheller', 'function.yaml'), 'utf8')).toMatch(/runtime: shell\n {2}handler: main\.sh\n/);
    const { child, output } = startNucleon(['run', 'sheller', '--http-port', '0'], { cwd: home, env });
    started.push(child.pid!);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await waitFor(() => /function "sheller" is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output())?.[1]);
    const res = await fetch(`${url}/greet`, { method: 'POST', body: 'it\'s $(whoami) & `id`' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Hello from sheller! POST /greet\nreceived: it\'s $(whoami) & `id`\n');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toMatch(/SIGTERM: draining[\s\S]*stopped/);
  });

  // A first Go build downloads the SDK and compiles: minutes on a cold machine.
  it.each([['python', 30_000], ['go', 240_000]] as const)('init --runtime %s -> run -> JSON round trip -> SIGTERM', async (runtime, readyMs) => {
    const name = `hello-${runtime}`;
    expect((await nucleon('init', name, '--runtime', runtime)).code).toBe(0);
    const { child, output } = startNucleon(['run', name, '--http-port', '0'], { cwd: home, env });
    started.push(child.pid!);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await waitFor(() => new RegExp(`function "${name}" is running at (http://127\\.0\\.0\\.1:\\d+)`).exec(output())?.[1], readyMs);
    const res = await fetch(`${url}/hi`, { method: 'POST', body: JSON.stringify({ n: 1 }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: `Hello from ${name}!`, method: 'POST', path: '/hi', received: { n: 1 } });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 300_000);

  it('fails a deploy whose handler file is missing, showing the processor log tail', async () => {
    await mkdir(join(home, 'broken'));
    await writeFile(join(home, 'broken', 'function.yaml'), 'metadata:\n  name: broken\nspec:\n  runtime: nodejs\n  handler: missing:handler\n');
    const deploy = await nucleon('deploy', 'broken');
    expect([1, 4]).toContain(deploy.code);
    // Progress lines first, then the platform's error as the headline, then the log tail.
    expect(deploy.stderr).toMatch(/^deploy: deploying "broken" on the local platform\n(deploy: .*\n)*error: deploying function "broken" on the local platform failed/m);
    expect(deploy.stderr).toMatch(/the processor logged:\n[\s\S]*no handler file missing/);
    expect(deploy.stderr).not.toMatch(/\n\s+at /);
    expect((await nucleon('get', '-o', 'json')).stdout).toBe('[]\n');
  });

  it('uses exit 2 for bad flags and 4 for invalid configuration, and refuses to overwrite on init', async () => {
    await writeFile(join(home, 'f.js'), 'export const handler = () => 1;\n');
    const badJson = await nucleon('deploy', 'f.js', '--triggers', '{http');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/^error: --triggers is not valid JSON/m);
    const badTrigger = await nucleon('deploy', 'f.js', '--triggers', '{"web":{"numWorkers":0}}');
    expect(badTrigger.code).toBe(4);
    expect(badTrigger.stderr).toContain('spec.triggers.web.kind: is required');
    expect((await nucleon('deploy', 'f.js', '--nope')).code).toBe(2);
    expect((await nucleon('init', 'home-test')).code).toBe(0);
    const again = await nucleon('init', 'home-test');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists and is not empty/);
  });
});
