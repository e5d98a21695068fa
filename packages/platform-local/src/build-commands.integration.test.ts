import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionConfig, RealProcessorHarness } from './test-fixtures/real-processor.js';

// spec.build.commands on the local platform, with the real processor and real npm and pip.
// Packages come from files made here (an npm tarball, a wheel): the tests need no registry.
const harness = new RealProcessorHarness();
beforeEach(() => harness.setUp());
afterEach(() => harness.tearDown());

const NPM = 'npm install --offline --no-audit --no-fund';

/** An npm package tarball `name-1.0.0.tgz` whose main exports `{ name, from }`. */
async function npmTarball(name: string, from: string): Promise<string> {
  const root = join(harness.home, 'packages', name);
  await mkdir(join(root, 'package'), { recursive: true });
  await writeFile(join(root, 'package', 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
  await writeFile(join(root, 'package', 'index.js'), `module.exports = { name: ${JSON.stringify(name)}, from: ${JSON.stringify(from)} };\n`);
  const file = join(harness.home, 'packages', `${name}-1.0.0.tgz`);
  execFileSync('tar', ['czf', file, '-C', root, 'package']);
  return file;
}

/** A pure-Python wheel of module `tinypkg` with `VALUE = "from-wheel"`. */
function wheel(): string {
  const file = join(harness.home, 'tinypkg-1.0-py3-none-any.whl');
  execFileSync('python3', ['-c', `
import sys, zipfile
info = 'tinypkg-1.0.dist-info/'
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('tinypkg/__init__.py', 'VALUE = "from-wheel"\\n')
    z.writestr(info + 'METADATA', 'Metadata-Version: 2.1\\nName: tinypkg\\nVersion: 1.0\\n')
    z.writestr(info + 'WHEEL', 'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')
    z.writestr(info + 'RECORD', '')
`, file]);
  return file;
}

describe('local platform: spec.build.commands', () => {
  it('npm install -g and npm install land where require() finds them; an unchanged redeploy uses the cached build', async () => {
    const commands = [`${NPM} -g ${await npmTarball('moment', 'global')}`, `${NPM} ${await npmTarball('pad-local', 'local')}`];
    // Nuclio's nodejs/dates example shape: CommonJS, require, context.callback.
    const dir = await harness.code('dates', { 'main.js': `const moment = require('moment');
const pad = require('pad-local');
exports.handler = function (context, event) {
  context.callback({ moment: moment.from, pad: pad.from });
};
` });
    const config = functionConfig('dates', { build: { commands } });
    const progress: string[] = [];
    const first = await harness.deploy(config, dir, progress);
    expect(progress.filter((l) => l.startsWith('running build command'))).toEqual([
      `running build command 1/2: ${commands[0]}`, `running build command 2/2: ${commands[1]}`,
    ]);
    expect(await (await fetch(first.url!)).json()).toEqual({ moment: 'global', pad: 'local' });
    // The user's folder is not touched: the commands ran in a copy.
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);

    const again: string[] = [];
    const second = await harness.deploy(config, dir, again);
    expect(again.some((l) => l.startsWith('using cached build'))).toBe(true);
    expect(again.some((l) => l.startsWith('running build command'))).toBe(false);
    expect(await (await fetch(second.url!)).json()).toEqual({ moment: 'global', pad: 'local' });

    await writeFile(join(dir, 'extra.txt'), 'changed code');
    const changed: string[] = [];
    await harness.deploy(config, dir, changed);
    expect(changed.filter((l) => l.startsWith('running build command'))).toHaveLength(2);
    expect(await readdir(join(harness.stateDir, 'functions', 'dates', 'builds'))).toHaveLength(1);
  }, 120_000);

  it('noCache runs the commands on every deploy, in a fresh folder, while the running one keeps its own', async () => {
    const dir = await harness.code('nc', { 'main.js': 'exports.handler = () => require("fs").readFileSync(__dirname + "/stamp", "utf8");\n' });
    const config = functionConfig('nc', { build: { commands: ['date +%s%N > stamp'], noCache: true } });
    const first = await harness.deploy(config, dir);
    const before = await (await fetch(first.url!)).text();
    const progress: string[] = [];
    const second = await harness.deploy(config, dir, progress);
    expect(progress).toContain('running build command 1/1: date +%s%N > stamp');
    expect(await (await fetch(second.url!)).text()).not.toBe(before);
    expect(await readdir(join(harness.stateDir, 'functions', 'nc', 'builds'))).toHaveLength(1);
  });

  it('pip install lands in a per-function target on PYTHONPATH', async () => {
    const dir = await harness.code('py', { 'main.py': 'import tinypkg\n\ndef handler(context, event):\n    return tinypkg.VALUE\n' });
    const config = functionConfig('py', { runtime: 'python:3.11', build: { commands: [`pip install --no-index --no-deps ${wheel()}`] } });
    const status = await harness.deploy(config, dir);
    expect(await (await fetch(status.url!)).text()).toBe('from-wheel');
    const build = join(harness.stateDir, 'functions', 'py', 'builds');
    const [hash] = await readdir(build);
    expect(existsSync(join(build, hash!, 'python', 'tinypkg', '__init__.py'))).toBe(true);
  }, 120_000);

  it('a failing command fails the first deploy with its exit code and output, leaving nothing', async () => {
    const dir = await harness.code('bad', { 'main.js': 'export const handler = () => "ok";\n' });
    const config = functionConfig('bad', { build: { commands: ['echo fine', 'echo compiling; echo "no such package: nope" >&2; exit 3'] } });
    const error = await harness.deploy(config, dir).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_BUILD_FAILED', details: { exitCode: 3 } });
    expect((error as Error).message).toBe(
      'build command 2/2 of "bad" failed with exit code 3: echo compiling; echo "no such package: nope" >&2; exit 3\ncompiling\nno such package: nope');
    expect(await harness.platform().list()).toEqual([]);
    expect(existsSync(join(harness.stateDir, 'functions', 'bad'))).toBe(false);
  });

  it('a failing command on redeploy keeps the previous deployment serving and removes the failed build', async () => {
    const dir = await harness.code('bad', { 'main.js': 'export const handler = () => "ok";\n' });
    const first = await harness.deploy(functionConfig('bad', { build: { commands: ['true'] } }), dir);
    const error = await harness.deploy(functionConfig('bad', { build: { commands: ['exit 7'] } }), dir).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_BUILD_FAILED', details: { exitCode: 7 } });
    expect(await harness.platform().get('bad')).toMatchObject({ state: 'ready', details: { pid: first.details?.pid } });
    expect(await (await fetch(first.url!)).text()).toBe('ok');
    expect(await readdir(join(harness.stateDir, 'functions', 'bad', 'builds'))).toHaveLength(1);
  });

  it('an interrupted deploy kills the running build command (and its children) and leaves nothing', async () => {
    const dir = await harness.code('slow-build', { 'main.js': 'export const handler = () => "ok";\n' });
    const controller = new AbortController();
    const started = Date.now();
    const error = await harness.platform().deploy({
      config: functionConfig('slow-build', { build: { commands: ['sleep 30; echo finished'] } }), functionDir: dir, signal: controller.signal,
      onProgress: (message) => {
        if (message.startsWith('running build command')) setTimeout(() => controller.abort(), 300);
      },
    }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_DEPLOY_INTERRUPTED' });
    expect((error as Error).message).toContain('interrupted during build command 1/1');
    // Not the 30 s of the sleep the shell started.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(existsSync(join(harness.stateDir, 'functions', 'slow-build'))).toBe(false);
  });
});
