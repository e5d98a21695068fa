import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoTestRoot, goFunctionYaml, startProcessor, type GoTestRoot, type StartedProcessor } from './processor-harness.js';
import { until } from '@nucleon/processor/testing';

const HANDLER = `package main

import (
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/nuclio/nuclio-sdk-go"
)

var inits int32

type workerState struct {
	Worker int   \`json:"worker"\`
	Inits  int32 \`json:"inits"\`
}

func InitContext(context *nuclio.Context) error {
	n := atomic.AddInt32(&inits, 1)
	context.UserData = &workerState{Worker: context.WorkerID, Inits: n}
	context.Logger.InfoWith("InitContext ran", "worker", context.WorkerID)
	return nil
}

func Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	switch event.GetPath() {
	case "/echo":
		return nuclio.Response{StatusCode: 200, ContentType: event.GetContentType(), Body: event.GetBody()}, nil
	case "/text":
		return "plain text ✓", nil
	case "/bytes":
		return []byte{0, 1, 2, 255}, nil
	case "/json":
		var got interface{}
		if err := json.Unmarshal(event.GetBody(), &got); err != nil {
			return nil, err
		}
		return map[string]interface{}{"method": event.GetMethod(), "fields": event.GetFields(), "got": got,
			"header": event.GetHeaderString("X-Custom"), "trigger": event.GetTriggerInfo().GetKind()}, nil
	case "/custom":
		return nuclio.Response{StatusCode: 201, ContentType: "text/x-custom",
			Headers: map[string]interface{}{"x-nucleon-test": "yes", "x-count": 3}, Body: []byte("created")}, nil
	case "/bad-request":
		return nil, nuclio.NewErrBadRequest("name is required")
	case "/error":
		return nil, errors.New("secret failure detail")
	case "/panic":
		var m map[string]int
		m["boom"] = 1
		return nil, nil
	case "/log":
		context.Logger.InfoWith("handler log line", "marker", event.GetHeaderString("x-marker"))
		context.Logger.Warn("unstructured %s", "warning")
		return "logged", nil
	case "/inits":
		return context.UserData, nil
	case "/pid":
		return strconv.Itoa(os.Getpid()), nil
	case "/sleep":
		ms, _ := event.GetFieldInt("ms")
		_ = os.WriteFile("sleeping.pid", []byte(strconv.Itoa(os.Getpid())), 0644)
		time.Sleep(time.Duration(ms) * time.Millisecond)
		return "slept", nil
	}
	return "hello", nil
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

describe('runtime: golang through the real processor', () => {
  let root: GoTestRoot;
  let dir: string;
  let p: StartedProcessor;

  beforeAll(async () => {
    root = createGoTestRoot();
    dir = root.functionDir({
      'function.yaml': goFunctionYaml({ eventTimeout: '2s', numWorkers: 2 }),
      'main.go': HANDLER,
    });
    p = await startProcessor(dir, { cacheDir: root.cacheDir });
    console.info(`go runtime: first start (build included) ready after ${p.readyAfterMs} ms`);
  }, 300_000);

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

  it('returns a string as text and []byte as bytes', async () => {
    const text = await fetch(`${p.url}/text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain text ✓');
    const bytes = await fetch(`${p.url}/bytes`);
    expect(bytes.headers.get('content-type')).toBe('application/octet-stream');
    expect([...Buffer.from(await bytes.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it('passes JSON, query fields and headers in, and encodes a map as JSON', async () => {
    const payload = { a: 1, nested: { list: [1, 2, 3] }, s: 'x' };
    const res = await fetch(`${p.url}/json?x=1&x=2&y=z`, {
      method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json', 'x-custom': 'hdr' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ method: 'POST', fields: { x: '1', y: 'z' }, got: payload, header: 'hdr', trigger: 'http' });
  });

  it('takes status, headers and content type from nuclio.Response', async () => {
    const res = await fetch(`${p.url}/custom`);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/x-custom');
    expect(res.headers.get('x-nucleon-test')).toBe('yes');
    expect(res.headers.get('x-count')).toBe('3');
    expect(await res.text()).toBe('created');
  });

  it('answers an error with a status code (nuclio.NewErrBadRequest) with that status and message, as Nuclio does', async () => {
    const res = await fetch(`${p.url}/bad-request`);
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('name is required');
  });

  it('writes handler logs into the processor log with the event id', async () => {
    const marker = `m-${Date.now()}`;
    const res = await fetch(`${p.url}/log`, { headers: { 'x-marker': marker } });
    expect(await res.text()).toBe('logged');
    const line = (): Record<string, unknown> | undefined => p.logLines().find((l) => l.msg === 'handler log line' && l.marker === marker);
    await until('the handler log line', () => line() !== undefined, 5000);
    expect(line()).toMatchObject({ level: 'info', function: 'go-fn', trigger: 'web' });
    expect(typeof line()?.eventId).toBe('string');
    await until('the unstructured warning', () => p.logLines().some((l) => l.msg === 'unstructured warning' && l.level === 'warn'), 5000);
  });

  it('runs InitContext once per worker, and its UserData reaches the handler', async () => {
    const initLines = p.logLines().filter((l) => l.msg === 'InitContext ran');
    expect(initLines.map((l) => l.worker).sort()).toEqual([0, 1]);
    const res = await fetch(`${p.url}/inits`);
    const state = (await res.json()) as { worker: number; inits: number };
    expect([0, 1]).toContain(state.worker);
    expect(state.inits).toBe(1);
  });

  it('answers a handler error with 500 without exposing it, logs it, and serves the next event', async () => {
    const res = await fetch(`${p.url}/error`);
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret failure detail');
    await until('the logged failure', () => p.output().includes('secret failure detail'), 5000);
    expect(await (await fetch(`${p.url}/text`)).text()).toBe('plain text ✓');
  });

  it('answers a handler panic with 500 and keeps the wrapper serving', async () => {
    const restarts = (): number => p.logLines().filter((l) => String(l.msg).includes('starting a new one')).length;
    const restartsBefore = restarts();
    const res = await fetch(`${p.url}/panic`);
    expect(res.status).toBe(500);
    await until('the logged panic', () => p.output().includes('assignment to entry in nil map'), 5000);
    expect((await fetch(`${p.url}/text`)).status).toBe(200);
    // The panic was recovered inside the wrapper: no wrapper died or was replaced.
    expect(restarts()).toBe(restartsBefore);
  });

  it('fails the event in flight cleanly when its wrapper is killed with SIGKILL, then serves the next', async () => {
    const pidFile = join(dir, 'sleeping.pid');
    rmSync(pidFile, { force: true });
    const inFlight = fetch(`${p.url}/sleep?ms=1800`);
    await until('the pid file', () => existsSync(pidFile), 5000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    process.kill(pid, 'SIGKILL');
    const res = await inFlight;
    expect(res.status).toBe(500);
    const next = await fetch(`${p.url}/text`);
    expect(next.status).toBe(200);
    expect(alive(pid)).toBe(false);
  });

  it('answers an event past eventTimeout with 504 and replaces its wrapper', async () => {
    const pidFile = join(dir, 'sleeping.pid');
    rmSync(pidFile, { force: true });
    const initRuns = (): number => p.logLines().filter((l) => l.msg === 'InitContext ran').length;
    const initsBefore = initRuns();
    const startedAt = Date.now();
    const res = await fetch(`${p.url}/sleep?ms=5000`);
    expect(res.status).toBe(504);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - startedAt).toBeLessThan(4500);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await until('the wrapper to exit', () => !alive(pid), 5000);
    // Both workers serve again; the replacement ran InitContext for its worker.
    for (let i = 0; i < 4; i++) expect((await fetch(`${p.url}/text`)).status).toBe(200);
    await until('InitContext in the replacement', () => initRuns() > initsBefore, 5000);
  });
});
