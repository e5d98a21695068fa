import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateFunctionConfig } from '@nucleon/core';
import { InMemoryLogger } from '@nucleon/core/testing';
import { startProcessor, type RunningProcessor } from '@nucleon/processor';
import { ECHO_WRAPPER, eventually, isAlive, privateTmpdir } from './integration-harness.js';

// The whole path: HTTP trigger -> the processor's worker pool (eventTimeout, worker
// replacement, shutdown) -> a wrapper runtime plugin -> the echo wrapper process. The plugin
// is loaded by package name like any runtime, from the built package (dist/).

const tmp = privateTmpdir();
const logger = new InMemoryLogger();
let processor: RunningProcessor;
let base: string;
const pids = new Set<number>();

beforeAll(async () => {
  const functionDir = join(tmp.dir, 'fn');
  const pluginDir = join(functionDir, 'node_modules', 'nucleon-echo-runtime');
  mkdirSync(pluginDir, { recursive: true });
  writeFileSync(join(pluginDir, 'package.json'), JSON.stringify({ name: 'nucleon-echo-runtime', type: 'module', main: 'index.mjs' }));
  const dist = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href;
  writeFileSync(join(pluginDir, 'index.mjs'), [
    `import { createWrapperRuntime } from ${JSON.stringify(dist)};`,
    'export default { kind: "runtime", name: "nucleon-echo-runtime", coreRange: "^0.1.0",',
    `  create: (options) => createWrapperRuntime({ name: "echo", launch: () => ({ command: process.execPath, args: [${JSON.stringify(ECHO_WRAPPER)}] }) }, options) };`,
  ].join('\n'));
  const { config } = validateFunctionConfig({
    metadata: { name: 'echo-fn' },
    spec: { runtime: 'nucleon-echo-runtime', handler: 'main:handler', eventTimeout: '700ms', triggers: { web: { kind: 'http', numWorkers: 2 } } },
  });
  processor = await startProcessor({ config, functionDir, httpPort: 0, adminPort: 0, logger });
  base = `http://127.0.0.1:${processor.httpAddress()!.port}`;
});
afterAll(async () => {
  await processor?.stop();
  expect([...pids].filter(isAlive)).toEqual([]);
  expect(tmp.leftovers()).toEqual([]);
  tmp.remove();
});

const call = (path: string, init?: RequestInit) => fetch(base + path, { method: 'POST', ...init });
const pid = async () => {
  const value = Number(await (await call('/pid')).text());
  pids.add(value);
  return value;
};

describe('a wrapper runtime in the processor', () => {
  it('answers HTTP requests from the wrapper, binary bodies byte for byte', async () => {
    const body = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
    const response = await call('/echo', { body, headers: { 'content-type': 'application/x-bin' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-bin');
    expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
  });

  it('a handler exception is a 500 that does not show its message; the log has it', async () => {
    const response = await call('/raise', { body: 'secret' });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret');
    expect(logger.records).toContainEqual(expect.objectContaining({
      message: 'handler failed', fields: expect.objectContaining({ error: expect.objectContaining({ message: 'handler raised ValueError: bad input: secret' }) }),
    }));
  });

  it('eventTimeout answers 504, kills that wrapper and serves the next events from a new one', async () => {
    const before = new Set([await pid(), await pid()]);
    const response = await call('/hang');
    expect(response.status).toBe(504);
    expect(await eventually(() => [...before].some((p) => !isAlive(p)))).toBe(true);
    const after = await Promise.all([pid(), pid(), pid()]);
    expect(after.every((p) => isAlive(p))).toBe(true);
  });

  it('a wrapper crash is a 500 and the next request succeeds', async () => {
    expect((await call('/crash')).status).toBe(500);
    expect((await call('/echo', { body: 'ok' })).status).toBe(200);
    await pid();
  });
});
