import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionDir, pythonYaml, startProcessor, until, type RunningProcessor } from './test-support/processor-harness.js';

const ECHO = `
import os

inits = []

def init_context(context):
    inits.append(context.worker_id)
    context.user_data.worker = context.worker_id
    context.logger.info_with('init_context ran', worker=context.worker_id, pid=os.getpid())

def handler(context, event):
    if event.path == '/echo':
        return context.Response(body=event.body, content_type=event.content_type, status_code=200)
    if event.path == '/json':
        return {'method': event.method, 'fields': event.fields, 'got': event.body, 'type': type(event.body).__name__}
    if event.path == '/text':
        return 'plain text \\u2713'
    if event.path == '/custom':
        return context.Response(body='created', headers={'x-nucleon-test': 'yes', 'x-count': 3},
                                content_type='text/x-custom', status_code=201)
    if event.path == '/tuple':
        return 202, {'accepted': True}
    if event.path == '/inits':
        return {'inits': inits, 'worker': context.user_data.worker, 'pid': os.getpid()}
    if event.path == '/log':
        context.logger.info_with('handler log line', marker=event.get_header('X-Marker'))
        return 'logged'
    if event.path == '/raise':
        raise ValueError('bad input from ' + event.method)
    if event.path == '/none':
        return None
    return 'hello'
`;

describe('Python runtime: processor + HTTP trigger + Python wrapper, end to end', () => {
  let p: RunningProcessor;

  beforeAll(async () => {
    p = await startProcessor(functionDir({ 'function.yaml': pythonYaml({ numWorkers: 2 }), 'main.py': ECHO }));
  });
  afterAll(async () => {
    expect(await p.stop()).toBe(0);
  });

  it('round-trips a binary body byte for byte', async () => {
    const body = randomBytes(256 * 1024);
    const res = await fetch(`${p.url}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('round-trips a text body byte for byte, multi-byte characters and NUL included', async () => {
    const text = 'héllo wörld ✓ \u0000 tail 🐍';
    const res = await fetch(`${p.url}/echo`, { method: 'PUT', body: text, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(text);
  });

  it('decodes an application/json body as Nuclio does and returns a dict as JSON, with query fields', async () => {
    const payload = { a: 1, nested: { list: [1, 2, 3] }, s: 'ünï' };
    const res = await fetch(`${p.url}/json?x=1&x=2&y=z`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ method: 'POST', fields: { x: ['1', '2'], y: 'z' }, got: payload, type: 'dict' });
  });

  it('returns a str as UTF-8 text', async () => {
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

  it('takes the status from a (status, body) tuple', async () => {
    const res = await fetch(`${p.url}/tuple`);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true });
  });

  it('answers None with an empty 200', async () => {
    const res = await fetch(`${p.url}/none`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('runs init_context once per worker, in one wrapper process per worker', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      fetch(`${p.url}/inits`).then((r) => r.json() as Promise<{ inits: number[]; worker: number; pid: number }>)));
    const byPid = new Map(results.map((r) => [r.pid, r]));
    expect(byPid.size).toBe(2);
    for (const r of byPid.values()) expect(r.inits).toEqual([r.worker]);
    expect([...byPid.values()].map((r) => r.worker).sort()).toEqual([0, 1]);
    const initLines = p.logLines().filter((l) => l.msg === 'init_context ran');
    expect(initLines.map((l) => l.worker).sort()).toEqual([0, 1]);
  });

  it("puts the handler's context.logger lines into the processor's JSON log with the event id", async () => {
    await fetch(`${p.url}/log`, { headers: { 'x-marker': 'm-4711' } });
    const line = (): Record<string, unknown> | undefined => p.logLines().find((l) => l.msg === 'handler log line');
    await until('the handler log line', () => line() !== undefined, 10_000);
    expect(line()).toMatchObject({ marker: 'm-4711', level: 'info', function: 'py-fn', trigger: 'web' });
    expect(typeof line()?.eventId).toBe('string');
  });

  it('answers 500 when the handler raises, logs the Python error, and keeps serving', async () => {
    const res = await fetch(`${p.url}/raise`, { method: 'DELETE' });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain('bad input');
    const logged = (): Record<string, unknown> | undefined => p.logLines().find((l) => JSON.stringify(l).includes('bad input from DELETE'));
    await until('the logged error', () => logged() !== undefined, 10_000);
    expect(JSON.stringify(logged())).toContain('ValueError');
    expect(JSON.stringify(logged())).toContain('main.py');
    const next = await fetch(`${p.url}/text`);
    expect(next.status).toBe(200);
  });
});

describe("handlers written exactly as Nuclio's Python docs show", () => {
  it('runs the reference example (import nuclio_sdk, type hints, logger.info_with)', async () => {
    // docs.nuclio.io, Reference > Runtimes > Python, "Function and handler".
    const p = await startProcessor(functionDir({
      'function.yaml': pythonYaml(),
      'main.py': [
        'import nuclio_sdk',
        '',
        'def handler(context: nuclio_sdk.Context, event: nuclio_sdk.Event):',
        "    context.logger.info_with('Invoked', method=event.method)",
        '    return "Hello, from Nuclio :]"',
        '',
      ].join('\n'),
    }));
    try {
      const res = await fetch(p.url, { method: 'PATCH' });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('Hello, from Nuclio :]');
      const line = (): Record<string, unknown> | undefined => p.logLines().find((l) => l.msg === 'Invoked');
      await until('the Invoked log line', () => line() !== undefined, 10_000);
      expect(line()?.method).toBe('PATCH');
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });

  it("runs Nuclio's helloworld example (context.Response with every keyword)", async () => {
    // nuclio/nuclio hack/examples/python/helloworld/helloworld.py, handler "helloworld:handler".
    const p = await startProcessor(functionDir({
      'function.yaml': pythonYaml({ handler: 'helloworld:handler' }),
      'helloworld.py': [
        'def handler(context, event):',
        "    context.logger.info('This is an unstructured log')",
        '',
        "    return context.Response(body='Hello, from nuclio :]',",
        '                            headers={},',
        "                            content_type='text/plain',",
        '                            status_code=200)',
        '',
      ].join('\n'),
    }));
    try {
      const res = await fetch(p.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(await res.text()).toBe('Hello, from nuclio :]');
      await until('the unstructured log line', () => p.logLines().some((l) => l.msg === 'This is an unstructured log'), 10_000);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });
});

const ASYNC_HANDLER = `
import asyncio
import os

state = {'now': 0, 'max': 0}

async def handler(context, event):
    state['now'] += 1
    state['max'] = max(state['max'], state['now'])
    try:
        await asyncio.sleep(float(event.fields.get('sleep', '0')))
    finally:
        state['now'] -= 1
    return {'pid': os.getpid(), 'max': state['max'], 'body': event.body.decode()}
`;

describe('async def handlers', () => {
  it('run one at a time per worker by default, and answer', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': pythonYaml(), 'main.py': ASYNC_HANDLER }));
    try {
      const res = await fetch(`${p.url}/?sleep=0.01`, { method: 'POST', body: 'one' });
      expect(await res.json()).toMatchObject({ max: 1, body: 'one' });
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });

  it('run several events at once on one asyncio loop when workers share the wrapper', async () => {
    const p = await startProcessor(functionDir({
      'function.yaml': pythonYaml({ numWorkers: 6, extra: ['  runtimeAttributes:', '    wrapperSharing: shared'] }),
      'main.py': ASYNC_HANDLER,
    }));
    try {
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
        fetch(`${p.url}/?sleep=0.8`, { method: 'POST', body: `n${i}` }).then((r) => r.json() as Promise<{ pid: number; max: number; body: string }>)));
      const elapsed = Date.now() - started;
      expect(new Set(results.map((r) => r.pid)).size).toBe(1);
      expect(results.map((r) => r.body).sort()).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
      expect(Math.max(...results.map((r) => r.max))).toBeGreaterThanOrEqual(4);
      expect(elapsed).toBeLessThan(6 * 800);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });
});
