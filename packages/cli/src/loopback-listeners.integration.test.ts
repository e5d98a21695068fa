import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listeningAddresses } from '@nucleon/processor/testing';
import { runNucleon } from './test-helpers/cli-process.js';

let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-listeners-'));
  env = { ...process.env, NUCLEON_HOME: join(home, 'state') };
  await mkdir(join(home, 'fn'));
  await writeFile(join(home, 'fn', 'main.js'), 'exports.handler = () => "hi";\n');
});
afterAll(async () => {
  await runNucleon(['delete', 'two-http'], { cwd: home, env });
  await rm(home, { recursive: true, force: true });
});

describe('listeners of a function with two HTTP triggers on the local platform', () => {
  it('binds every socket on loopback, the second trigger included', async () => {
    const deploy = await runNucleon(['deploy', 'two-http', '-p', join(home, 'fn', 'main.js'),
      '--triggers', '{"a":{"kind":"http"},"b":{"kind":"http","attributes":{"port":0}}}', '-o', 'json'], { cwd: home, env });
    expect(deploy.code, deploy.stderr).toBe(0);
    const pid = (JSON.parse(deploy.stdout) as { details: { pid: number } }).details.pid;
    const addresses = listeningAddresses(pid);
    // The first trigger, the second trigger and the admin server.
    expect(addresses.length).toBeGreaterThanOrEqual(3);
    for (const address of addresses) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);

    // `get` shows every trigger's address (the admin server's is not one), each answering.
    const get = await runNucleon(['get', 'function', 'two-http', '-o', 'json'], { cwd: home, env });
    const shown = (JSON.parse(get.stdout) as { status: { addresses: Array<{ trigger: string; url: string }> } }).status.addresses;
    expect(shown.map((a) => a.trigger)).toEqual(['a', 'b']);
    const admin = addresses.filter((a) => !shown.some((s) => s.url === `http://${a}`));
    expect(admin).toHaveLength(1);
    for (const { url } of shown) expect(await (await fetch(url)).text()).toBe('hi');
    const table = await runNucleon(['get', 'functions'], { cwd: home, env });
    expect(table.stdout).toContain(`${shown[0]!.url} +1`);
    const wide = await runNucleon(['get', 'functions', '-o', 'wide'], { cwd: home, env });
    expect(wide.stdout).toContain(shown.map((a) => a.url).join(','));
  });
});
