import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runNucleon, type CliResult, dockerQuietly } from './test-helpers/cli-process.js';
import { CALLEE, functionYaml, PY_CALLER } from './test-helpers/function-call-handlers.js';

// The Python caller/callee pair on the docker platform: images built by the CLI, containers on
// the host network, addresses in $NUCLEON_HOME/docker/addresses bind-mounted into both.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RUN = Date.now().toString(36);
const CALLEE_NAME = `calls-adder-${RUN}`;
const CALLER_NAME = `calls-caller-${RUN}`;
let home: string;
let env: NodeJS.ProcessEnv;
let callerUrl: string;

const nucleon = (...args: string[]): Promise<CliResult> => runNucleon(args, { cwd: home, env, timeoutMs: 280_000 });
const docker = dockerQuietly;

async function deploy(name: string, source: string): Promise<string> {
  await mkdir(join(home, name));
  await writeFile(join(home, name, 'function.yaml'), functionYaml(name, 'python', 'main:handler'));
  await writeFile(join(home, name, 'main.py'), source);
  const result = await nucleon('deploy', name, '--platform', 'docker', '-t', `nucleon-test/${name}:latest`, '-o', 'json');
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { url: string }).url;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm -r build" first`);
  execFileSync('bash', [join(ROOT, 'scripts/services/docker.sh'), 'start'], { stdio: 'inherit', timeout: 180_000 });
  home = await mkdtemp(join(tmpdir(), 'nucleon-calls-docker-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '' };
  await deploy(CALLEE_NAME, CALLEE);
  callerUrl = await deploy(CALLER_NAME, PY_CALLER);
}, 600_000);

afterAll(async () => {
  for (const name of [CALLEE_NAME, CALLER_NAME]) {
    docker('rm', '-f', `nucleon-${name}`, `nucleon-${name}.next`, `nucleon-${name}.old`);
    docker('rmi', '-f', `nucleon-test/${name}:latest`);
  }
  await rm(home, { recursive: true, force: true });
});

describe('function-to-function calls on the docker platform (built CLI, real Docker engine)', () => {
  it('the caller container reaches the callee container and returns its status, headers and body', async () => {
    const response = await fetch(`${callerUrl}/?callee=${CALLEE_NAME}`, { method: 'POST', body: '' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 201, sum: '5', body: { sum: 5, path: '/add', method: 'POST', trace: 't-py', caller: CALLER_NAME },
    });
  });

  it('a deleted callee is "not found on the docker platform" in the caller', async () => {
    expect((await nucleon('delete', CALLEE_NAME, '--platform', 'docker')).code).toBe(0);
    expect(await readdir(join(home, 'docker', 'addresses'))).toEqual([`${CALLER_NAME}.json`]);
    const response = await fetch(`${callerUrl}/?callee=${CALLEE_NAME}`, { method: 'POST', body: '' });
    expect(response.status).toBe(502);
    expect(await response.text()).toBe(`CallFunctionError: function "${CALLEE_NAME}" not found on the docker platform`);
  });
});
