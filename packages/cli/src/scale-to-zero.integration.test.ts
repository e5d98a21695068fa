import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killIfAlive, recordedPids, runNucleon } from './test-helpers/cli-process.js';

// Scale to zero through the CLI on the real local platform: deploy starts the scaler, the
// function idles to zero, `get` says so, `invoke` wakes it through the activator, `scale` works
// by hand, and with the scaler stopped `invoke` still wakes it.
let home: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-cli-s2z-'));
  env = { ...process.env, NUCLEON_HOME: home };
  await writeFile(join(home, 'main.js'), 'exports.handler = async (context, event) => `hi ${event.path}`;\n');
  await writeFile(join(home, 'function.yaml'), [
    'metadata: { name: sleepy }',
    'spec:',
    '  runtime: nodejs',
    '  handler: main:handler',
    '  minReplicas: 0',
    '  scaleToZero: { scaleResources: [{ metricName: nuclio_processor_handled_events, windowSize: 2s, threshold: 0 }] }',
    '',
  ].join('\n'));
});

afterEach(async () => {
  const record = await readFile(join(home, 'scaler', 'local', 'scaler.json'), 'utf8').then((t) => JSON.parse(t) as { pid: number }, () => undefined);
  await runNucleon(['scaler', 'stop'], { cwd: home, env });
  killIfAlive(record?.pid, 'scaler');
  for (const pid of recordedPids(home)) killIfAlive(pid);
  await rm(home, { recursive: true, force: true });
});

const nucleon = (args: string[]) => runNucleon(args, { cwd: home, env });

async function waitForState(text: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { stdout } = await nucleon(['get']);
    if (stdout.includes(text)) return stdout;
    if (Date.now() > until) throw new Error(`get never showed "${text}": ${stdout}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('nucleon scale to zero (local platform)', () => {
  it('deploy starts the scaler, the function idles to zero, and invoke wakes it', async () => {
    const deployed = await nucleon(['deploy', '.']);
    expect(deployed.code).toBe(0);
    expect(deployed.stderr).toMatch(/started the scaler \(pid \d+\) to take "sleepy" to zero/);
    expect((await nucleon(['scaler', 'status'])).stdout).toMatch(/scaler running for the local platform[\s\S]*sleepy\s+yes/);
    expect(await waitForState('scaled to zero')).toMatch(/sleepy\s+scaled to zero\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(JSON.parse((await nucleon(['get', 'sleepy', '-o', 'json'])).stdout).status.state).toBe('scaledToZero');
    const invoked = await nucleon(['invoke', 'sleepy', '-p', '/wake']);
    expect(invoked).toMatchObject({ code: 0, stdout: 'hi /wake' });
    expect((await nucleon(['get', 'sleepy'])).stdout).toMatch(/sleepy\s+ready/);
    // A second deploy finds the scaler running.
    expect((await nucleon(['deploy', '.'])).stderr).not.toMatch(/started the scaler/);
  });

  it('scale --replicas 0 and 1 by hand; with no scaler running invoke wakes the function itself', async () => {
    expect((await nucleon(['deploy', '.'])).code).toBe(0);
    expect((await nucleon(['scaler', 'stop'])).stdout).toMatch(/scaler stopped/);
    expect(await nucleon(['scale', 'sleepy', '--replicas', '0'])).toMatchObject({ code: 0, stdout: 'function "sleepy" scaled to zero\n' });
    const invoked = await nucleon(['invoke', 'sleepy', '-p', '/direct']);
    expect(invoked).toMatchObject({ code: 0, stdout: 'hi /direct' });
    expect(invoked.stderr).toMatch(/scaled to zero and no scaler holds its port; waking it/);
    expect((await nucleon(['scale', 'sleepy', '--replicas', '1'])).stdout).toMatch(/function "sleepy" is ready at http/);
    const tooMany = await nucleon(['scale', 'sleepy', '--replicas', '3']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/one processor per function/);
    expect((await nucleon(['scale', 'sleepy', '--replicas', 'lots'])).code).toBe(2);
    expect((await nucleon(['scale', 'nobody', '--replicas', '0'])).code).toBe(3);
  });
});
