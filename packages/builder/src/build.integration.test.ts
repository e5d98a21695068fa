import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNucleonError, ErrorCodes } from '@nucleon/core';
import { loadFunctionConfig } from '@nucleon/processor';
import { freePort, until } from '@nucleon/processor/testing';
import { pack } from 'tar-fs';
import { buildFunctionImage, imageExists, type BuildResult } from './index.js';
import { RootFs } from './rootfs.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const docker = new Docker();
const images: string[] = [];
const containers: Docker.Container[] = [];

/** The workspace's installed packages, as the CLI would find them. */
const locate = (name: string): string | undefined => {
  for (const base of [join(ROOT, 'packages/cli/node_modules'), join(ROOT, 'node_modules')]) {
    if (existsSync(join(base, name, 'package.json'))) return realpathSync(join(base, name));
  }
  return undefined;
};

beforeAll(() => {
  execFileSync('bash', [join(ROOT, 'scripts/services/docker.sh'), 'start'], { stdio: 'inherit', timeout: 180_000 });
}, 200_000);

afterAll(async () => {
  for (const c of containers) await c.remove({ force: true }).catch(() => undefined);
  for (const image of images) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
});

/** A function folder from files; function.yaml from the given spec lines. */
function fn(name: string, spec: string[], files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `nucleon-build-${name}-`));
  writeFileSync(join(dir, 'function.yaml'), ['apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', `  name: ${name}`, 'spec:', ...spec.map((l) => `  ${l}`), ''].join('\n'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function build(dir: string, options: { plugins?: string[] } = {}): Promise<BuildResult> {
  const { config } = loadFunctionConfig({ file: join(dir, 'function.yaml') });
  const tag = `nucleon-test/${config.metadata.name}-${RUN}:latest`;
  images.push(tag);
  return buildFunctionImage({ docker, config, functionDir: dir, tag, locate, plugins: options.plugins ?? [] });
}

/** Runs the image on host networking with free ports; returns its HTTP base URL. */
async function runImage(image: string): Promise<{ url: string; container: Docker.Container; logs: () => Promise<string> }> {
  const [http, admin] = [await freePort(), await freePort()];
  const container = await docker.createContainer({
    Image: image, Env: [`NUCLEON_HTTP_PORT=${http}`, 'NUCLEON_HTTP_HOST=127.0.0.1', `NUCLEON_ADMIN_PORT=${admin}`, 'NUCLEON_ADMIN_HOST=127.0.0.1'],
    HostConfig: { NetworkMode: 'host' },
  });
  containers.push(container);
  await container.start();
  const logs = async (): Promise<string> => (await container.logs({ stdout: true, stderr: true })).toString();
  await until(`${image} ready`, async () => (await fetch(`http://127.0.0.1:${admin}/ready`).then((r) => r.ok, () => false)), 60_000, 100);
  return { url: `http://127.0.0.1:${http}`, container, logs };
}

/** The @nucleon packages inside an image's processor folder. */
async function nucleonPackagesIn(image: string): Promise<string[]> {
  const out = execFileSync('docker', ['run', '--rm', '--network', 'host', '--entrypoint', '/bin/ls', image, '/opt/nucleon/processor/node_modules/@nucleon']);
  return out.toString().split(/\s+/).filter((s) => s !== '').sort();
}

const NODE_HANDLER = 'exports.handler = (context, event) => ({ echoed: event.body.toString(), v: "1" });\n';

describe('nucleon build against a real Docker engine', () => {
  it('builds a Node function whose image serves HTTP, with only the plugins it uses', async () => {
    const dir = fn('node-echo', ['runtime: nodejs', 'handler: main:handler'], { 'main.js': NODE_HANDLER });
    const result = await build(dir);
    expect(await imageExists(docker, result.image)).toBe(true);
    const { url } = await runImage(result.image);
    const res = await fetch(url, { method: 'POST', body: 'ping' });
    expect(await res.json()).toEqual({ echoed: 'ping', v: '1' });
    expect(await nucleonPackagesIn(result.image)).toEqual(['core', 'processor', 'runtime-node', 'trigger-http']);
    const labels = (await docker.getImage(result.image).inspect()).Config.Labels;
    expect(labels).toMatchObject({ 'io.nucleon.function': 'node-echo', 'io.nucleon.runtime': 'nodejs' });
  }, 180_000);

  it('rebuilds a handler-only change on top of the same base, processor and plugin layers', async () => {
    const dir = fn('node-layers', ['runtime: nodejs', 'handler: main:handler'], { 'main.js': NODE_HANDLER });
    const first = await build(dir);
    const layersBefore = (await docker.getImage(first.image).inspect()).RootFS.Layers ?? [];
    writeFileSync(join(dir, 'main.js'), NODE_HANDLER.replace('v: "1"', 'v: "2"'));
    const second = await build(dir);
    const layersAfter = (await docker.getImage(second.image).inspect()).RootFS.Layers ?? [];
    expect(layersAfter.length).toBe(layersBefore.length);
    // Everything but the code layer is shared.
    expect(layersAfter.slice(0, -1)).toEqual(layersBefore.slice(0, -1));
    expect(layersAfter.at(-1)).not.toBe(layersBefore.at(-1));
    const { url } = await runImage(second.image);
    expect(await (await fetch(url, { method: 'POST', body: 'x' })).json()).toEqual({ echoed: 'x', v: '2' });
    console.log(`build: first ${first.durationMs} ms, handler-only rebuild ${second.durationMs} ms`);
  }, 180_000);

  it('a failing build command is a clear error with the log tail, and tags no image', async () => {
    const dir = fn('node-broken', ['runtime: nodejs', 'handler: main:handler', 'build:', '  commands:', '    - "echo preparing-things && exit 3"'],
      { 'main.js': NODE_HANDLER });
    const { config } = loadFunctionConfig({ file: join(dir, 'function.yaml') });
    const tag = `nucleon-test/node-broken-${RUN}:latest`;
    images.push(tag);
    const error = await buildFunctionImage({ docker, config, functionDir: dir, tag, locate }).then(() => undefined, (e: unknown) => e);
    expect(isNucleonError(error, ErrorCodes.BUILD_FAILED)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('RUN echo preparing-things && exit 3');
    expect(message).toContain('preparing-things');
    expect(message).toMatch(/non-zero code: 3/);
    expect(await imageExists(docker, tag)).toBe(false);
  }, 180_000);

  it('puts a third-party trigger given with --plugin (a local folder) into the image, and it fires', async () => {
    const dir = fn('ticker-fn', ['runtime: nodejs', 'handler: main:handler', 'triggers:', '  ticks:', '    kind: nucleon-trigger-ticker',
      '    attributes:', '      intervalMs: 100', '      body: from-the-ticker'], { 'main.js': 'exports.handler = (context, event) => { context.logger.info("got " + event.body); return ""; };\n' });
    const result = await build(dir, { plugins: [join(ROOT, 'examples/trigger-ticker')] });
    const [http, admin] = [await freePort(), await freePort()];
    const container = await docker.createContainer({ Image: result.image, Env: [`NUCLEON_HTTP_PORT=${http}`, `NUCLEON_ADMIN_PORT=${admin}`, 'NUCLEON_ADMIN_HOST=127.0.0.1'], HostConfig: { NetworkMode: 'host' } });
    containers.push(container);
    await container.start();
    await until('ticker events handled', async () => ((await container.logs({ stdout: true, stderr: true })).toString().match(/got from-the-ticker/g) ?? []).length >= 3, 30_000, 100);
  }, 180_000);

  it.each([
    ['python', ['runtime: python:3.11', 'handler: main:handler'], { 'main.py': 'def handler(context, event):\n    return "py:" + event.body.decode()\n' }, 'py:hi'],
    ['go', ['runtime: golang', 'handler: main:Handler'], {
      'main.go': 'package main\n\nimport "github.com/nuclio/nuclio-sdk-go"\n\nfunc Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {\n\treturn "go:" + string(event.GetBody()), nil\n}\n',
    }, 'go:hi'],
    ['typescript', ['runtime: typescript', 'handler: main:handler'], { 'main.ts': 'export const handler = (_c: unknown, e: { body: Buffer }): string => `ts:${e.body.toString()}`;\n' }, 'ts:hi'],
  ])('builds a %s function whose image answers', async (label, spec, files, expected) => {
    const result = await build(fn(`${label}-fn`, spec as string[], files as Record<string, string>));
    const { url } = await runImage(result.image);
    expect(await (await fetch(url, { method: 'POST', body: 'hi' })).text()).toBe(expected);
  }, 240_000);

  it('npm install -g in a build command is visible to the handler (the image puts its prefix on NODE_PATH)', async () => {
    const base = await baseWithNpm();
    const command = 'npm install -g --offline --no-audit --no-fund --install-links /opt/test/gpkg';
    const dir = fn('npm-global-fn', ['runtime: nodejs', 'handler: main:handler', 'build:', `  baseImage: ${base}`, '  commands:', `    - ${JSON.stringify(command)}`],
      { 'main.js': 'const g = require("gpkg");\nexports.handler = () => g;\n' });
    const result = await build(dir);
    expect(result.dockerfile).toContain(`RUN ${command}`);
    const { url } = await runImage(result.image);
    expect(await (await fetch(url)).text()).toBe('from-global');
  }, 240_000);
});

/**
 * A base standing in for an image such as node:24 (which this machine cannot pull): this
 * machine's sh, node and npm, plus the source of a small package `gpkg` at /opt/test/gpkg.
 */
async function baseWithNpm(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'nucleon-npm-base-'));
  const fs = new RootFs(dir);
  await fs.skeleton();
  await fs.binary(realpathSync('/bin/sh'), '/bin/sh');
  await fs.binary(process.execPath, '/usr/local/bin/node');
  const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  await fs.folder(join(npmCli, '..', '..'), '/usr/local/lib/node_modules/npm');
  // A shell wrapper, not a link: npm-cli.js starts with #!/usr/bin/env, which this tree lacks.
  mkdirSync(join(dir, 'opt/test/gpkg'), { recursive: true });
  writeFileSync(join(dir, 'usr/local/bin/npm'), '#!/bin/sh\nexec node /usr/local/lib/node_modules/npm/bin/npm-cli.js "$@"\n', { mode: 0o755 });
  writeFileSync(join(dir, 'opt/test/gpkg/package.json'), JSON.stringify({ name: 'gpkg', version: '1.0.0', main: 'index.js' }));
  writeFileSync(join(dir, 'opt/test/gpkg/index.js'), 'module.exports = "from-global";\n');
  const tag = `nucleon-test/base-node-npm-${RUN}:latest`;
  images.push(tag);
  const [repo, version] = tag.split(':') as [string, string];
  const stream = await docker.importImage(pack(dir) as unknown as NodeJS.ReadableStream,
    { repo, tag: version, changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'ENV HOME=/root', 'WORKDIR /'] } as unknown as Record<string, unknown>);
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  rmSync(dir, { recursive: true, force: true });
  return tag;
}
