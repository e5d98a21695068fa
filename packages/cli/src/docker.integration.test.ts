import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runNucleon, type CliResult, dockerQuietly } from './test-helpers/cli-process.js';

/** `nucleon build` and the docker platform through the built CLI, against the real engine. */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RUN = Date.now().toString(36);
let home: string;
let env: NodeJS.ProcessEnv;
const images: string[] = [];
const functions: string[] = [];

const nucleon = (...args: string[]): Promise<CliResult> => runNucleon(args, { cwd: home, env, timeoutMs: 240_000 });
const docker = dockerQuietly;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm -r build" first`);
  execFileSync('bash', [join(ROOT, 'scripts/services/docker.sh'), 'start'], { stdio: 'inherit', timeout: 180_000 });
  home = await mkdtemp(join(tmpdir(), 'nucleon-cli-docker-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '' };
}, 200_000);

afterAll(async () => {
  for (const name of functions) docker('rm', '-f', `nucleon-${name}`, `nucleon-${name}.next`, `nucleon-${name}.old`);
  for (const image of images) docker('rmi', '-f', image);
  await rm(home, { recursive: true, force: true });
});

/** `init` a function of a runtime; returns its name and image tag. */
async function initFunction(runtime: string, label: string = runtime): Promise<{ name: string; tag: string }> {
  const name = `cli-${label}-${RUN}`;
  const tag = `nucleon-test/${name}:latest`;
  functions.push(name);
  images.push(tag);
  expect((await nucleon('init', name, '--runtime', runtime)).code).toBe(0);
  return { name, tag };
}

describe('nucleon build and --platform docker (built CLI, real Docker engine)', () => {
  it.each(['node', 'typescript', 'python', 'go'])('%s: build, deploy, invoke, get, logs, delete', async (runtime) => {
    const { name, tag } = await initFunction(runtime);
    const deploy = await nucleon('deploy', name, '--platform', 'docker', '-t', tag);
    expect(deploy.stderr).toMatch(/Step \d+\/\d+ : FROM nucleon\/processor:/);
    expect(deploy.stderr).toContain(`built ${tag}`);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toMatch(new RegExp(`function "${name}" deployed on docker\\n {2}state: ready\\n {2}url: {3}http://127\\.0\\.0\\.1:\\d+`));

    const invoke = await nucleon('invoke', name, '--platform', 'docker', '-b', '{"name":"Ada"}');
    expect(invoke.code).toBe(0);
    expect(invoke.stdout).toMatch(/Ada|Hello|hello/);

    const get = await nucleon('get', name, '--platform', 'docker', '-o', 'json');
    expect(JSON.parse(get.stdout)).toMatchObject({ metadata: { name }, status: { platform: 'docker', state: 'ready' } });
    const logs = await nucleon('logs', name, '--platform', 'docker');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain(`"function":"${name}"`);

    expect((await nucleon('delete', name, '--platform', 'docker')).code).toBe(0);
    expect(docker('ps', '-aq', '--filter', `name=^nucleon-${name}$`).trim()).toBe('');
    expect((await nucleon('get', name, '--platform', 'docker')).code).toBe(3);
  }, 300_000);

  it('a build command that fails exits 1 with the log tail and tags no image', async () => {
    const { name, tag } = await initFunction('node', 'failing-build');
    const yaml = join(home, name, 'function.yaml');
    await writeFile(yaml, `${(await readFile(yaml, 'utf8')).replace('spec:\n', 'spec:\n  build:\n    commands:\n      - "echo about-to-fail && exit 7"\n')}`);
    const build = await nucleon('build', name, '-t', tag);
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(new RegExp(`error: building ${tag} failed at Step 3/\\d+ : RUN echo about-to-fail`));
    expect(build.stderr).toContain('RUN echo about-to-fail && exit 7');
    expect(build.stderr).toContain('about-to-fail');
    expect(build.stderr).toMatch(/non-zero code: 7/);
    expect(docker('image', 'inspect', tag)).toBe('');
  }, 120_000);

  it('a function that crashes at start fails the deploy with its logs and leaves no container', async () => {
    const { name, tag } = await initFunction('node', 'crashing');
    await writeFile(join(home, name, 'main.js'), 'exports.notTheHandler = () => "x";\n');
    const deploy = await nucleon('deploy', name, '--platform', 'docker', '-t', tag, '--readiness-timeout', '30');
    // The processor's own code: a missing handler export is NUCLEON_ERR_HANDLER_NOT_FOUND (exit 4).
    expect(deploy.code).toBe(4);
    expect(deploy.stderr).toMatch(new RegExp(`error: deploying function "${name}" on the docker platform failed: spec.handler "main:handler": .* has no exported function "handler" \\(it exports: notTheHandler\\)`));
    expect(deploy.stderr).toContain('NUCLEON_ERR_HANDLER_NOT_FOUND');
    expect(docker('ps', '-aq', '--filter', `name=nucleon-${name}`).trim()).toBe('');
  }, 120_000);
});
