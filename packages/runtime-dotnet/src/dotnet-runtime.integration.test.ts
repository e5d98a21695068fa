import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDotnetTestRoot, dotnetFunctionYaml, startProcessor, type DotnetTestRoot, type StartedProcessor } from './processor-harness.js';
import { until } from '@nucleon/processor/testing';

const HANDLER = `using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Nuclio.Sdk;

public class nuclio
{
    static int inits;

    public void InitContext(Context context)
    {
        context.UserData["worker"] = context.WorkerId;
        context.UserData["inits"] = Interlocked.Increment(ref inits);
        context.Logger.InfoWith("InitContext ran", "worker", context.WorkerId);
    }

    public object Main(Context context, Event eventBase)
    {
        switch (eventBase.Path)
        {
            case "/echo":
                return new Response { StatusCode = 200, ContentType = eventBase.ContentType, Body = eventBase.Body };
            case "/text":
                return "plain text ✓";
            case "/bytes":
                return new byte[] { 0, 1, 2, 255 };
            case "/json":
                return new Dictionary<string, object> {
                    { "method", eventBase.Method }, { "path", eventBase.Path }, { "fields", eventBase.Fields },
                    { "body", eventBase.GetBody() }, { "header", eventBase.Headers["X-Custom"] },
                    { "trigger", eventBase.Trigger.Kind }, { "size", eventBase.Size },
                    { "year", eventBase.Timestamp.Year }, { "hasId", !string.IsNullOrEmpty(eventBase.Id) },
                };
            case "/custom":
                return new Response {
                    StatusCode = 201, ContentType = "text/x-custom", Body = "created",
                    Headers = new Dictionary<string, object> { { "x-nucleon-test", "yes" }, { "x-count", 3 } },
                };
            case "/error":
                throw new InvalidOperationException("secret failure detail");
            case "/log":
                context.Logger.InfoWith("handler log line", "marker", eventBase.GetHeaderString("x-marker"));
                context.Logger.Warning("unstructured {0}", "warning");
                context.Logger.Debug("debug line");
                return "logged";
            case "/inits":
                return context.UserData;
            case "/pid":
                return System.Diagnostics.Process.GetCurrentProcess().Id.ToString();
            case "/sleep":
                int ms = int.Parse(eventBase.GetFieldString("ms"));
                File.WriteAllText("sleeping.pid", System.Diagnostics.Process.GetCurrentProcess().Id.ToString());
                Thread.Sleep(ms);
                return "slept";
            case "/nap":
                Thread.Sleep(int.Parse(eventBase.GetFieldString("ms")));
                return "slept";
        }
        return "hello";
    }
}
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runtime: dotnetcore through the real processor (Mono)', () => {
  let root: DotnetTestRoot;
  let dir: string;
  let p: StartedProcessor;

  beforeAll(async () => {
    root = createDotnetTestRoot();
    dir = root.functionDir({
      'function.yaml': dotnetFunctionYaml({ eventTimeout: '3s', numWorkers: 2 }),
      'handler.cs': HANDLER,
    });
    p = await startProcessor(dir, { cacheDir: root.cacheDir });
    console.info(`dotnet runtime: first start (compile included) ready after ${p.readyAfterMs} ms`);
  }, 180_000);

  afterAll(async () => {
    if (p) expect(await p.stop()).toBe(0);
    root?.remove();
  });

  it('round-trips a binary body byte for byte', async () => {
    const body = randomBytes(256 * 1024);
    const res = await fetch(`${p.url}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('round-trips a text body byte for byte, multi-byte characters and NUL included', async () => {
    const text = 'héllo wörld ✓ \u0000 tail';
    const res = await fetch(`${p.url}/echo`, { method: 'PUT', body: text, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe(text);
  });

  it('round-trips a JSON body', async () => {
    const payload = { a: 1, nested: { list: [1, 2, 3] }, s: 'ü' };
    const res = await fetch(`${p.url}/echo`, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(payload);
  });

  it('returns a string as text and byte[] as bytes', async () => {
    const text = await fetch(`${p.url}/text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain text ✓');
    const bytes = await fetch(`${p.url}/bytes`);
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
    expect([...Buffer.from(await bytes.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it('passes method, path, fields, headers (any case), body and trigger in, and encodes a dictionary as JSON', async () => {
    const res = await fetch(`${p.url}/json?x=1&y=z`, { method: 'POST', body: '{"k":"v"}', headers: { 'content-type': 'application/json', 'x-custom': 'hdr' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      method: 'POST', path: '/json', fields: { x: '1', y: 'z' }, body: '{"k":"v"}', header: 'hdr', trigger: 'http', size: 9,
      year: new Date().getUTCFullYear(), hasId: true,
    });
  });

  it('takes status, headers and content type from Response', async () => {
    const res = await fetch(`${p.url}/custom`);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/x-custom');
    expect(res.headers.get('x-nucleon-test')).toBe('yes');
    expect(res.headers.get('x-count')).toBe('3');
    expect(await res.text()).toBe('created');
  });

  it('writes handler logs into the processor log with the event id', async () => {
    const marker = `m-${Date.now()}`;
    const res = await fetch(`${p.url}/log`, { headers: { 'x-marker': marker } });
    expect(await res.text()).toBe('logged');
    const line = (): Record<string, unknown> | undefined => p.logLines().find((l) => l.msg === 'handler log line' && l.marker === marker);
    await until('the handler log line', () => line() !== undefined, 10_000);
    expect(line()).toMatchObject({ level: 'info', function: 'dotnet-fn', trigger: 'web' });
    expect(typeof line()?.eventId).toBe('string');
    await until('the unstructured warning', () => p.logLines().some((l) => l.msg === 'unstructured warning' && l.level === 'warn'), 10_000);
  });

  it('runs InitContext once per worker, and its UserData reaches the handler', async () => {
    const initLines = p.logLines().filter((l) => l.msg === 'InitContext ran');
    expect(initLines.map((l) => l.worker).sort()).toEqual([0, 1]);
    const state = (await (await fetch(`${p.url}/inits`)).json()) as { worker: number; inits: number };
    expect([0, 1]).toContain(state.worker);
    expect(state.inits).toBe(1);
  });

  it('answers an exception with 500 without exposing it, logs it, and serves the next event with the same wrapper', async () => {
    const restarts = (): number => p.logLines().filter((l) => String(l.msg).includes('starting a new one')).length;
    const before = restarts();
    const res = await fetch(`${p.url}/error`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret failure detail');
    await until('the logged failure', () => p.output().includes('secret failure detail'), 10_000);
    const next = await fetch(`${p.url}/text`);
    expect(next.status).toBe(200);
    expect(await next.text()).toBe('plain text ✓');
    expect(restarts()).toBe(before);
  });

  it('fails the event in flight cleanly when its wrapper is killed with SIGKILL, then serves the next', async () => {
    const pidFile = join(dir, 'sleeping.pid');
    rmSync(pidFile, { force: true });
    const inFlight = fetch(`${p.url}/sleep?ms=2500`);
    await until('the pid file', () => existsSync(pidFile), 10_000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGKILL');
    expect((await inFlight).status).toBe(500);
    expect((await fetch(`${p.url}/text`)).status).toBe(200);
    expect(alive(pid)).toBe(false);
  }, 30_000);

  it('answers an event past eventTimeout with 504 and replaces its wrapper', async () => {
    const startedAt = Date.now();
    const res = await fetch(`${p.url}/sleep?ms=8000`);
    expect(res.status).toBe(504);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2900);
    for (let i = 0; i < 4; i++) expect((await fetch(`${p.url}/text`)).status).toBe(200);
  }, 30_000);
});

describe('runtime: dotnetcore with one shared wrapper running several events at once', () => {
  let root: DotnetTestRoot;
  let p: StartedProcessor;

  beforeAll(async () => {
    root = createDotnetTestRoot();
    const dir = root.functionDir({
      'function.yaml': dotnetFunctionYaml({ name: 'dotnet-shared', numWorkers: 4, shared: true, env: { NUCLEON_DOTNET_MAX_IN_FLIGHT: '4' } }),
      'handler.cs': HANDLER,
    });
    p = await startProcessor(dir, { cacheDir: root.cacheDir });
  }, 180_000);

  afterAll(async () => {
    if (p) expect(await p.stop()).toBe(0);
    root?.remove();
  });

  it('runs four slow events concurrently in one wrapper process', async () => {
    const startedAt = Date.now();
    const answers = await Promise.all([0, 1, 2, 3].map(() => fetch(`${p.url}/nap?ms=1500`).then((r) => r.text())));
    const elapsed = Date.now() - startedAt;
    expect(answers).toEqual(['slept', 'slept', 'slept', 'slept']);
    // One after another would take 6 s; concurrently about 1.5 s.
    expect(elapsed).toBeLessThan(4500);
    const pids = await Promise.all([0, 1, 2, 3].map(() => fetch(`${p.url}/pid`).then((r) => r.text())));
    expect(new Set(pids).size).toBe(1);
  }, 30_000);
});
