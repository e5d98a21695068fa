import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import plugin from './index.js';
import { isOurProcessor, isPidAlive } from './liveness.js';
import { signal } from './stop-process.js';

// The real processor (packages/processor/dist/main.js, built first) and the built-in plugins,
// which resolve from this package's dev dependencies.
const PROCESSOR = fileURLToPath(import.meta.resolve('@nucleon/processor/main'));
const PACKAGE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

let home: string;
let functionDir: string;
const pids: number[] = [];

function platform() {
  return plugin.create({ settings: { processorEntry: PROCESSOR, stateDir: join(home, 'local'), pluginPaths: [PACKAGE_DIR] } });
}

beforeAll(async () => {
  if (!existsSync(PROCESSOR)) throw new Error(`${PROCESSOR} is missing: run "pnpm -r build" first`);
  home = await mkdtemp(join(tmpdir(), 'nucleon-local-it-'));
  functionDir = join(home, 'echo');
  await mkdir(functionDir);
  await writeFile(join(functionDir, 'main.js'), `export async function handler(context, event) {
  context.logger.infoWith('echo called', { marker: process.env.MARKER });
  return { echoed: JSON.parse(event.body.toString() || 'null'), marker: process.env.MARKER };
}
`);
});

afterAll(async () => {
  for (const pid of pids) if (isPidAlive(pid)) { signal(-pid, 'SIGKILL'); signal(pid, 'SIGKILL'); }
  await rm(home, { recursive: true, force: true });
});

describe('local platform with the real processor', () => {
  it('deploys, serves, survives a CLI restart, logs and deletes', async () => {
    const { config } = validateFunctionConfig({
      metadata: { name: 'echo' },
      spec: { runtime: 'nodejs', handler: 'main:handler', env: [{ name: 'MARKER', value: 'm-1' }], triggers: { http: { kind: 'http' } } },
    });
    const deployed = await platform().deploy({ config, functionDir, readinessTimeoutMs: 30_000 });
    pids.push(deployed.details?.supervisorPid as number);
    expect(deployed).toMatchObject({ name: 'echo', platform: 'local', state: 'ready', runtime: 'nodejs' });

    const response = await fetch(deployed.url!, { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ echoed: { n: 1 }, marker: 'm-1' });

    // A second Platform instance reads everything back from the state directory.
    const restarted = platform();
    expect(await restarted.get('echo')).toMatchObject({ state: 'ready', url: deployed.url, details: { pid: deployed.details?.pid } });
    expect((await restarted.list()).map((s) => s.name)).toEqual(['echo']);

    const lines: string[] = [];
    for await (const line of restarted.logs('echo')) lines.push(line);
    expect(lines.some((l) => l.includes('"echo called"') && l.includes('"m-1"'))).toBe(true);

    const echoDir = join(home, 'local', 'functions', 'echo');
    expect(isOurProcessor(deployed.details?.pid as number, PROCESSOR, echoDir)).toBe(true);
    await restarted.delete('echo');
    expect(isOurProcessor(deployed.details?.pid as number, PROCESSOR, echoDir)).toBe(false);
    expect(await platform().get('echo')).toBeUndefined();
  });

  it("reports a missing handler file with the processor's own code and message, leaving nothing", async () => {
    const { config } = validateFunctionConfig({ metadata: { name: 'broken' }, spec: { runtime: 'nodejs', handler: 'nothere:handler' } });
    const error = await platform().deploy({ config, functionDir, readinessTimeoutMs: 30_000 }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_HANDLER_NOT_FOUND' });
    expect((error as Error).message.split('\n')[0]).toMatch(/^deploying function "broken" on the local platform failed: .*nothere/);
    expect((error as Error).message).toMatch(/the processor logged:\n[\s\S]*processor failed to start/);
    expect(await platform().list()).toEqual([]);
    expect(existsSync(join(home, 'local/functions/broken'))).toBe(false);
  });
});
