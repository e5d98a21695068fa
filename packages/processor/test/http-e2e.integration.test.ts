import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionDir, functionYaml, startProcessor, type StartedProcessor } from '../src/testing/index.js';

const ECHO_HANDLER = `
let inits = 0;
exports.initContext = (context) => {
  inits += 1;
  context.userData.worker = context.workerId;
  context.userData.inits = inits;
  context.logger.infoWith('initContext ran', { worker: context.workerId });
};
exports.handler = async (context, event) => {
  switch (event.path) {
    case '/echo':
      return new context.Response({ body: event.body, contentType: event.contentType, statusCode: 200 });
    case '/json':
      return { method: event.method, fields: event.fields, got: JSON.parse(event.body.toString()) };
    case '/text':
      return 'plain text ✓';
    case '/custom':
      return new context.Response('created', { 'x-nucleon-test': 'yes', 'x-count': 3 }, 'text/x-custom', 201);
    case '/callback':
      setTimeout(() => context.callback('called back'), 5);
      return undefined;
    case '/inits':
      return { inits, worker: context.userData.worker };
    case '/log':
      context.logger.infoWith('handler log line', { marker: event.headers['x-marker'] });
      return 'logged';
    default:
      return 'hello';
  }
};
`;

describe('processor + HTTP trigger + Node runtime, end to end', () => {
  let p: StartedProcessor;

  beforeAll(async () => {
    const dir = functionDir({
      'function.yaml': functionYaml({ trigger: '    web:\n      kind: http\n      numWorkers: 3\n' }),
      'main.js': ECHO_HANDLER,
    });
    p = await startProcessor(dir);
  });
  afterAll(async () => {
    expect(await p.stop()).toBe(0);
  });

  it('round-trips a binary body byte for byte', async () => {
    const body = randomBytes(64 * 1024);
    const res = await fetch(`${p.url}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('round-trips a text body byte for byte, including multi-byte characters', async () => {
    const text = 'héllo wörld ✓ \u0000 tail';
    const res = await fetch(`${p.url}/echo`, { method: 'PUT', body: text, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(await res.text()).toBe(text);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('passes JSON in and encodes a returned object as JSON, with query fields', async () => {
    const payload = { a: 1, nested: { list: [1, 2, 3] }, s: 'x' };
    const res = await fetch(`${p.url}/json?x=1&x=2&y=z`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ method: 'POST', fields: { x: ['1', '2'], y: 'z' }, got: payload });
  });

  it('returns a string as text', async () => {
    const res = await fetch(`${p.url}/text`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('plain text ✓');
  });

  it('uses status, headers and content type from context.Response', async () => {
    const res = await fetch(`${p.url}/custom`);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/x-custom');
    expect(res.headers.get('x-nucleon-test')).toBe('yes');
    expect(res.headers.get('x-count')).toBe('3');
    expect(await res.text()).toBe('created');
  });

  it("supports Nuclio's context.callback style", async () => {
    expect(await (await fetch(`${p.url}/callback`)).text()).toBe('called back');
  });

  it('runs initContext once per worker, never per request', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => fetch(`${p.url}/inits`).then((r) => r.json())));
    for (const r of results) expect(r.inits).toBe(3);
    const initLines = p.logLines().filter((l) => l.msg === 'initContext ran');
    expect(initLines.map((l) => l.worker).sort()).toEqual([0, 1, 2]);
  });

  it("puts the handler's context.logger output into the processor's JSON log", async () => {
    await fetch(`${p.url}/log`, { headers: { 'x-marker': 'm-4711' } });
    await new Promise((r) => setTimeout(r, 100));
    const line = p.logLines().find((l) => l.msg === 'handler log line');
    expect(line).toMatchObject({ marker: 'm-4711', function: 'test-fn', trigger: 'web', level: 'info' });
  });

  it('exposes Prometheus metrics and health on the admin port', async () => {
    expect((await fetch(`${p.adminUrl}/live`)).status).toBe(200);
    expect((await fetch(`${p.adminUrl}/ready`)).status).toBe(200);
    const metrics = await (await fetch(`${p.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/nucleon_events_total\{trigger="web",result="success",function="test-fn"\} \d+/);
    expect(metrics).toContain('nucleon_event_duration_seconds_bucket');
    expect(metrics).toContain('nucleon_events_in_flight');
    expect(metrics).toContain('nucleon_worker_wait_seconds');
  });
});

describe('TypeScript handler', () => {
  it('runs a .ts handler with types from @nucleon/core and no build step', async () => {
    const dir = functionDir({
      'function.yaml': functionYaml({ runtime: 'typescript' }),
      'main.ts': [
        "import type { Context, Event } from '@nucleon/core';",
        'interface Greeting { greeting: string; length: number }',
        'export async function handler(context: Context, event: Event): Promise<Greeting> {',
        '  const name: string = event.body.toString() || "world";',
        '  return { greeting: `hello ${name}`, length: name.length };',
        '}',
      ].join('\n'),
    });
    const p = await startProcessor(dir);
    try {
      const res = await fetch(p.url, { method: 'POST', body: 'nucleon' });
      expect(await res.json()).toEqual({ greeting: 'hello nucleon', length: 7 });
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });
});

describe('default trigger', () => {
  it('serves HTTP when the function configures no trigger', async () => {
    const dir = functionDir({ 'function.yaml': functionYaml(), 'main.mjs': 'export const handler = () => "default ok";' });
    const p = await startProcessor(dir);
    try {
      expect(await (await fetch(p.url)).text()).toBe('default ok');
      expect(p.output()).toContain('default-http');
    } finally {
      await p.stop();
    }
  });
});

describe('configuration from the environment', () => {
  it('reads the whole function configuration from NUCLEON_FUNCTION_CONFIG_JSON', async () => {
    const dir = functionDir({ 'main.js': 'exports.handler = (context) => context.functionName;' });
    const config = JSON.stringify({ metadata: { name: 'from-env' }, spec: { runtime: 'nodejs', handler: 'main:handler' } });
    const p = await startProcessor(dir, { args: ['--function-dir', dir], env: { NUCLEON_FUNCTION_CONFIG_JSON: config }, noConfigFile: true });
    try {
      expect(await (await fetch(p.url)).text()).toBe('from-env');
    } finally {
      await p.stop();
    }
  });
});

describe('a crash outside any event', () => {
  it('logs the uncaught exception as one JSON line and exits non-zero', async () => {
    const dir = functionDir({
      'function.yaml': functionYaml(),
      'main.js': 'exports.handler = () => { setTimeout(() => { throw new Error("stray timer blew up"); }, 1); return "ok"; };',
    });
    const p = await startProcessor(dir);
    expect(await (await fetch(p.url)).text()).toBe('ok');
    expect(await p.exited).toBe(70);
    const line = p.logLines().find((l) => l.msg === 'uncaught exception in function code; exiting');
    expect(JSON.stringify(line)).toContain('stray timer blew up');
    // Which function and why, for collectors and for people.
    expect(line).toMatchObject({ function: 'test-fn', exitCode: 70, reason: expect.stringContaining('outside any event') });
    expect(p.output()).toMatch(/nucleon-processor: function "test-fn": an exception escaped the function code outside any event .*: stray timer blew up; exiting with code 70/);
  });
});
