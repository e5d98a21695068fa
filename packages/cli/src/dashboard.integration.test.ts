import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findFreePort } from '@nucleon/core';
import { runNucleon, startNucleon, waitFor } from './test-helpers/cli-process.js';
import type { ChildProcess } from 'node:child_process';

// `nucleon dashboard` as a user starts it: a token printed once, required by the API; its hash,
// not the token, on disk; the same token accepted after a restart; --no-auth refused off loopback.
let home: string;
let env: NodeJS.ProcessEnv;
let child: ChildProcess | undefined;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-cli-dashboard-'));
  env = { ...process.env, NUCLEON_HOME: home };
  delete env.NUCLEON_DASHBOARD_TOKEN; // a developer's own must not stand in for the generated one
});

afterEach(async () => {
  await stop();
  await rm(home, { recursive: true, force: true });
});

async function stop(): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function start(port: number): Promise<string> {
  const started = startNucleon(['dashboard', '--port', String(port)], { cwd: home, env });
  child = started.child;
  await waitFor(() => (started.output().includes('dashboard on http://') ? true : undefined));
  return started.output();
}

const session = (port: number, token?: string): Promise<Response> =>
  fetch(`http://127.0.0.1:${port}/api/session`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('nucleon dashboard', () => {
  it('prints a token once, requires it, and keeps only its hash', async () => {
    const port = await findFreePort();
    const first = await start(port);
    const token = /dashboard token[^\n]*\n\s+(\S+)/.exec(first)?.[1];
    expect(token, first).toMatch(/^\S{20,}$/);
    expect((await session(port)).status).toBe(401);
    expect((await session(port, 'wrong')).status).toBe(401);
    const ok = await session(port, token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ platform: 'local' });

    const dir = join(home, 'dashboard', 'local');
    for (const file of await readdir(dir, { recursive: true })) {
      if ((await stat(join(dir, file))).isFile()) expect(await readFile(join(dir, file), 'utf8')).not.toContain(token!);
    }
    await stop();

    const second = await start(port);
    expect(second).not.toContain(token!);
    expect((await session(port, token)).status).toBe(200);
  });

  it('refuses --no-auth on a host other than loopback', async () => {
    const result = await runNucleon(['dashboard', '--no-auth', '--host', '0.0.0.0', '--port', '0'], { cwd: home, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--no-auth is allowed only on a loopback host');
  });

  it('serves without a token on loopback with --no-auth, and warns', async () => {
    const port = await findFreePort();
    const started = startNucleon(['dashboard', '--no-auth', '--port', String(port)], { cwd: home, env });
    child = started.child;
    await waitFor(() => (started.output().includes('dashboard on http://') ? true : undefined));
    expect(started.output()).toContain('WITHOUT authentication');
    expect((await session(port)).status).toBe(200);
  });
});
