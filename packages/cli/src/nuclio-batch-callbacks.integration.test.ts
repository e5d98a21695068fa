import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, killIfAlive, recordedPids, runNucleon, type CliResult } from './test-helpers/cli-process.js';

// Issue 11's Nuclio runtime features through the built CLI on the local platform: a batched
// Python function, Python drain/termination callbacks on delete, Nuclio's cron attributes.
let home: string;
let env: NodeJS.ProcessEnv;

function nucleon(...args: string[]): Promise<CliResult> {
  return runNucleon(args, { cwd: home, env, timeoutMs: 60_000 });
}

async function fn(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(home, name);
  await mkdir(dir);
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

async function deployedUrl(name: string): Promise<string> {
  const deploy = await nucleon('deploy', name, '-o', 'json');
  expect(deploy.code, deploy.stderr).toBe(0);
  return (JSON.parse(deploy.stdout) as { url: string }).url;
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm -r build" first`);
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-cli-batch-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '' };
});
afterEach(async () => {
  for (const pid of recordedPids(home)) killIfAlive(pid, 'processor/dist/main.js');
  await rm(home, { recursive: true, force: true });
});

describe("Nuclio's runtime features through the built CLI", () => {
  it('deploys a batched Python function: 20 concurrent requests, each its own reply, handled in lists', async () => {
    await fn('batched', {
      'function.yaml': [
        'apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: batched', 'spec:', '  runtime: python:3.11',
        '  handler: main:handler', '  triggers:', '    http:', '      kind: http', '      maxWorkers: 2', '      batch:',
        '        mode: enable', '        batchSize: 5', '        timeout: 100ms', '',
      ].join('\n'),
      'main.py': [
        'import nuclio_sdk', '', 'def handler(context, batch):',
        "    return [nuclio_sdk.Response(body={'echo': e.body.decode(), 'size': len(batch)}, headers={},",
        "                                content_type='application/json', status_code=200, event_id=e.id) for e in batch]", '',
      ].join('\n'),
    });
    const url = await deployedUrl('batched');
    const replies = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
      const res = await fetch(url, { method: 'POST', body: `r${i}`, headers: { 'content-type': 'text/plain' } });
      return { status: res.status, json: await res.json() as { echo: string; size: number } };
    }));
    expect(replies.map((r) => `${r.status} ${r.json.echo}`)).toEqual(replies.map((_, i) => `200 r${i}`));
    expect(Math.max(...replies.map((r) => r.json.size))).toBeGreaterThan(1);
    expect((await nucleon('delete', 'batched')).code).toBe(0);
  }, 90_000);

  it('refuses batching for a Node function with exit 4, naming batch.mode', async () => {
    await fn('nodebatch', {
      'function.yaml': 'metadata:\n  name: nodebatch\nspec:\n  runtime: nodejs\n  handler: main:handler\n  triggers:\n    http:\n      kind: http\n      batch:\n        mode: enable\n',
      'main.js': 'exports.handler = () => "x";\n',
    });
    const deploy = await nucleon('deploy', 'nodebatch');
    expect(deploy.code).toBe(4);
    expect(deploy.stderr).toContain('spec.triggers.http.batch.mode: batching is supported by the python runtime only');
    expect((await nucleon('get', '-o', 'json')).stdout).toBe('[]\n');
  });

  it('runs the Python drain and termination callbacks on delete', async () => {
    const marks = await mkdtemp(join(tmpdir(), 'nucleon-marks-'));
    try {
      await fn('hooks', {
        'function.yaml': `metadata:\n  name: hooks\nspec:\n  runtime: python\n  handler: main:handler\n  env:\n    - name: MARKS\n      value: ${marks}\n`,
        'main.py': [
          'import os', '', 'def init_context(context):',
          "    mark = lambda what: open(os.path.join(os.environ['MARKS'], what), 'w').write(what)",
          "    context.platform.set_drain_callback(lambda: mark('drained'))",
          "    context.platform.set_termination_callback(lambda: mark('terminated'))", '',
          'def handler(context, event):', "    return 'up'", '',
        ].join('\n'),
      });
      const url = await deployedUrl('hooks');
      expect(await (await fetch(url)).text()).toBe('up');
      expect(existsSync(join(marks, 'drained'))).toBe(false);
      expect(await nucleon('delete', 'hooks')).toMatchObject({ code: 0 });
      expect(readFileSync(join(marks, 'drained'), 'utf8')).toBe('drained');
      expect(readFileSync(join(marks, 'terminated'), 'utf8')).toBe('terminated');
    } finally {
      await rm(marks, { recursive: true, force: true });
    }
  }, 90_000);

  it("deploys a cron function with Nuclio's jobBackoffLimit, and it ticks", async () => {
    const seen = join(home, 'ticks.txt');
    await fn('nightly', {
      'function.yaml': [
        'metadata:', '  name: nightly', 'spec:', '  runtime: nodejs', '  handler: main:handler',
        '  env:', '    - name: SEEN', `      value: ${seen}`,
        '  triggers:', '    web:', '      kind: http', '    tick:', '      kind: cron', '      attributes:',
        '        interval: 200ms', '        jobBackoffLimit: 2', '        concurrencyPolicy: Forbid', '',
      ].join('\n'),
      'main.js': "exports.handler = (context, event) => { if (event.trigger.kind === 'cron') require('node:fs').appendFileSync(process.env.SEEN, 'tick\\n'); return 'ok'; };\n",
    });
    const deploy = await nucleon('deploy', 'nightly');
    expect(deploy.code, deploy.stderr).toBe(0);
    const until = Date.now() + 10_000;
    while (Date.now() < until && !(existsSync(seen) && readFileSync(seen, 'utf8').split('\n').length > 2)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(readFileSync(seen, 'utf8').split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(2);
    const logs = await nucleon('logs', 'nightly');
    expect(logs.stdout).toContain('spec.triggers.tick.attributes.jobBackoffLimit');
    expect((await nucleon('delete', 'nightly')).code).toBe(0);
  }, 60_000);
});
