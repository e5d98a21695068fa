import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runNucleon, type CliResult } from './test-helpers/cli-process.js';

/** `get` of a two-HTTP-trigger function on the docker platform, through the built CLI and the real engine. */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const NAME = `cli-two-http-${Date.now().toString(36)}`;
const TAG = `nucleon-test/${NAME}:latest`;
let home: string;
let env: NodeJS.ProcessEnv;

const nucleon = (...args: string[]): Promise<CliResult> => runNucleon(args, { cwd: home, env, timeoutMs: 240_000 });
const docker = (...args: string[]): void => {
  try {
    execFileSync('docker', args, { stdio: 'ignore' });
  } catch {
    // already gone
  }
};

/** The local addresses of the host's listening TCP sockets on `port` (/proc/net/tcp and tcp6). */
function listenersOn(port: number): string[] {
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A' || parseInt(cols[1]!.split(':')[1]!, 16) !== port) continue; // 0A: LISTEN
      const hex = cols[1]!.split(':')[0]!;
      found.push(table === 'tcp' ? hex.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.') : `[${hex}]`);
    }
  }
  return found;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm -r build" first`);
  execFileSync('bash', [join(ROOT, 'scripts/services/docker.sh'), 'start'], { stdio: 'inherit', timeout: 180_000 });
  home = await mkdtemp(join(tmpdir(), 'nucleon-cli-get-docker-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '' };
}, 200_000);

afterAll(async () => {
  docker('rm', '-f', `nucleon-${NAME}`, `nucleon-${NAME}.next`, `nucleon-${NAME}.old`);
  docker('rmi', '-f', TAG);
  await rm(home, { recursive: true, force: true });
});

describe('nucleon get --platform docker of a function with two HTTP triggers', () => {
  it('shows both addresses (json, wide, table +1) and restarts; the second is reachable and on loopback only', async () => {
    expect((await nucleon('init', NAME, '--runtime', 'node')).code).toBe(0);
    const yaml = join(home, NAME, 'function.yaml');
    await writeFile(yaml, `${await readFile(yaml, 'utf8')}    second:\n      kind: http\n      attributes:\n        port: 0\n`);
    const deploy = await nucleon('deploy', NAME, '--platform', 'docker', '-t', TAG);
    expect(deploy.code, deploy.stderr).toBe(0);

    const get = await nucleon('get', NAME, '--platform', 'docker', '-o', 'json');
    expect(get.code, get.stderr).toBe(0);
    const { status } = JSON.parse(get.stdout) as { status: { url: string; restarts: number; addresses: Array<{ trigger: string; kind: string; url: string }> } };
    expect(status.addresses.map((a) => [a.trigger, a.kind])).toEqual([['http', 'http'], ['second', 'http']]);
    expect(status.addresses[0]!.url).toBe(status.url);
    expect(status.restarts).toBe(0);
    const second = new URL(status.addresses[1]!.url);
    expect(second.hostname).toBe('127.0.0.1');
    expect((await fetch(second, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    expect(listenersOn(Number(second.port))).toEqual(['127.0.0.1']);

    const wide = await nucleon('get', NAME, '--platform', 'docker', '-o', 'wide');
    expect(wide.stdout).toMatch(/\bRESTARTS\n/);
    expect(wide.stdout).toContain(`${status.url},${second.origin}`);
    expect(wide.stdout).toMatch(/\s0\n$/);
    const table = await nucleon('get', NAME, '--platform', 'docker');
    expect(table.stdout).toContain(`${status.url} +1`);
  }, 300_000);
});
