import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionConfig, type FunctionStatus, sleep, validateFunctionConfig } from '@nucleon/core';
import plugin from './index.js';
import { prepareTestImages, type TestImages } from './test-support/test-images.js';

// Against the real engine (scripts/services/docker.sh start), on the default host network.
const docker = new Docker();
const NAME = `dk-two-http-${randomBytes(3).toString('hex')}`;
let images: TestImages;
let image: string;

const HANDLER = `exports.handler = (context, event) => {
  if (event.path === '/block') { while (true) {} }
  if (event.path === '/native') { require('node:child_process').execSync('sleep 20'); }
  return 'hi';
};
`;
const TRIGGERS = { a: { kind: 'http' }, b: { kind: 'http', attributes: { port: 0 } } };
// The processor in the image reads its own function.yaml; the platform reads the config it is given: the same.
const YAML = `apiVersion: nuclio.io/v1\nkind: NuclioFunction\nmetadata:\n  name: ${NAME}\nspec:\n  runtime: nodejs\n  handler: main:handler\n` +
  '  triggers:\n    a:\n      kind: http\n    b:\n      kind: http\n      attributes:\n        port: 0\n';

function config(): FunctionConfig {
  return validateFunctionConfig({
    metadata: { name: NAME },
    spec: { runtime: 'nodejs', handler: 'main:handler', image, triggers: TRIGGERS, env: [{ name: 'NUCLEON_LOOP_BLOCK_TIMEOUT_MS', value: '1000' }] },
  }).config;
}

const platform = () => plugin.create({ settings: { stopTimeoutSeconds: 2 } });

/** The local addresses of the host's listening TCP sockets on `port`, from /proc/net/tcp and tcp6. */
function listenersOn(port: number): string[] {
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A: LISTEN
      const [hex, portHex] = cols[1]!.split(':');
      if (parseInt(portHex!, 16) !== port) continue;
      found.push(table === 'tcp' ? hex!.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.') : `[${hex}]`);
    }
  }
  return found;
}

beforeAll(async () => {
  images = await prepareTestImages();
  image = await images.functionImage('two-http', { files: { 'main.js': HANDLER, 'function.yaml': YAML } });
}, 240_000);

afterAll(async () => {
  for (const name of [`nucleon-${NAME}`, `nucleon-${NAME}.next`, `nucleon-${NAME}.old`]) {
    await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
  }
  await images?.remove();
}, 60_000);

describe('docker platform: every address, and restarts', () => {
  it('reports both HTTP triggers, the second reachable and bound to loopback only; a processor the watchdog ends (75, or SIGKILL from native code) is restarted and counted', async () => {
    const deployed = await platform().deploy({ config: config(), functionDir: '/unused', readinessTimeoutMs: 60_000 });
    expect(deployed.addresses?.map((a) => a.trigger)).toEqual(['a', 'b']);
    expect(deployed.addresses?.[0]?.url).toBe(deployed.url);
    expect(deployed.restarts).toBe(0);
    const second = new URL(deployed.addresses![1]!.url);
    expect(second.hostname).toBe('127.0.0.1');
    expect(second.port).not.toBe(String(deployed.httpPort));
    expect((await fetch(second, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    expect(listenersOn(Number(second.port))).toEqual(['127.0.0.1']);

    // Block the processor's loop: the watchdog ends it (exit 75), the restart policy starts it again.
    void fetch(new URL('/block', deployed.url), { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    let status: FunctionStatus | undefined;
    const deadline = Date.now() + 30_000;
    do {
      await sleep(500);
      status = await platform().get(NAME);
    } while (Date.now() < deadline && !(status?.restarts === 1 && status.state === 'ready'));
    expect(status).toMatchObject({ state: 'ready', restarts: 1 });
    // Port 0 is chosen afresh at each start: the addresses are the live ones, not the first deploy's.
    expect(status!.addresses?.map((a) => a.trigger)).toEqual(['a', 'b']);
    expect((await fetch(status!.addresses![1]!.url, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
    // Stuck in native code: no interrupt runs, so only the watchdog's SIGKILL ends it (2 s after
    // the exit was asked), which works because the processor is not the container's PID 1
    // (Docker's init is). Waiting less than the 20 s sleep keeps a late exit from passing.
    void fetch(new URL('/native', status!.url), { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    const killedBy = Date.now() + 12_000;
    do {
      await sleep(500);
      status = await platform().get(NAME);
    } while (Date.now() < killedBy && !(status?.restarts === 2 && status.state === 'ready'));
    expect(status).toMatchObject({ state: 'ready', restarts: 2 });
    const lines: string[] = [];
    for await (const line of platform().logs(NAME)) lines.push(line);
    expect(lines.some((l) => l.includes('event loop blocked past the bound') && l.includes('"exitCode":75'))).toBe(true);
    expect(lines.some((l) => l.includes('event loop still blocked (in native code?)'))).toBe(true);
  }, 120_000);
});
