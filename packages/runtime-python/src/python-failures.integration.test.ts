import { describe, expect, it } from 'vitest';
import { functionDir, pythonYaml, startProcessor, until } from './test-support/processor-harness.js';

const SLOW = `
import os
import time

def handler(context, event):
    if event.path == '/pid':
        return str(os.getpid())
    context.logger.info('sleeping')
    time.sleep(float(event.fields.get('s', '5')))
    return 'woke'
`;

async function pid(url: string): Promise<number> {
  const res = await fetch(`${url}/pid`);
  expect(res.status).toBe(200);
  return Number(await res.text());
}

describe('Python wrapper failures', () => {
  it('fails the request in flight when the wrapper is killed with SIGKILL, then serves the next from a new wrapper', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': pythonYaml(), 'main.py': SLOW }));
    try {
      const before = await pid(p.url);
      const pending = fetch(`${p.url}/sleep?s=10`);
      await until('the sleeping log line', () => p.logLines().some((l) => l.msg === 'sleeping'), 10_000);
      process.kill(before, 'SIGKILL');
      const res = await pending;
      expect(res.status).toBe(500);
      const after = await pid(p.url);
      expect(after).not.toBe(before);
      expect((await fetch(`${p.url}/sleep?s=0`)).status).toBe(200);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });

  it('answers 504 for a handler past eventTimeout and replaces its wrapper', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': pythonYaml({ eventTimeout: '1s' }), 'main.py': SLOW }));
    try {
      const before = await pid(p.url);
      const started = Date.now();
      const res = await fetch(`${p.url}/sleep?s=30`);
      expect(res.status).toBe(504);
      expect(Date.now() - started).toBeLessThan(5_000);
      const after = await pid(p.url);
      expect(after).not.toBe(before);
      expect(() => process.kill(before, 0)).toThrow();
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });

  it('leaves no wrapper behind when the processor stops', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': pythonYaml({ numWorkers: 2 }), 'main.py': SLOW }));
    const pids = new Set<number>();
    for (let i = 0; i < 6; i++) pids.add(await pid(p.url));
    expect(await p.stop()).toBe(0);
    for (const wrapperPid of pids) expect(() => process.kill(wrapperPid, 0)).toThrow();
  });
});

describe('Python start failures stop the processor with the Python error', () => {
  const cases: Array<[string, Record<string, string>, RegExp[]]> = [
    ['a syntax error', { 'main.py': 'def handler(context, event):\n    return "unclosed\n' },
      [/NUCLEON_ERR_HANDLER_LOAD: main\.py:2: SyntaxError/]],
    ['an exception at import', { 'main.py': 'import json\nraise RuntimeError("DATABASE_URL is not set")\n' },
      [/NUCLEON_ERR_HANDLER_LOAD: main\.py:2: importing main raised RuntimeError: DATABASE_URL is not set/]],
    ['a missing handler function', { 'main.py': 'def init_context(context):\n    pass\n\ndef handle(context, event):\n    pass\n' },
      [/NUCLEON_ERR_HANDLER_NOT_FOUND: handler 'main:handler': main\.py has no function handler; it defines: handle, init_context/]],
    ['a missing handler module', { 'other.py': '' }, [/NUCLEON_ERR_HANDLER_NOT_FOUND: .*no module 'main'/, /other\.py/]],
    ['init_context raising', { 'main.py': 'def init_context(context):\n    raise KeyError("DB")\n\ndef handler(c, e):\n    pass\n' },
      [/NUCLEON_ERR_INIT_CONTEXT_FAILED: main\.py:2: init_context raised KeyError: 'DB'/]],
  ];

  it.each(cases)('%s', async (_name, files, patterns) => {
    const p = await startProcessor(functionDir({ 'function.yaml': pythonYaml(), ...files }), { waitReady: false });
    const code = await p.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    for (const pattern of patterns) expect(p.output()).toMatch(pattern);
  });

  it('gives up on an import slower than NUCLEON_PYTHON_START_TIMEOUT_MS with NUCLEON_ERR_WRAPPER_START', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': pythonYaml(), 'main.py': 'import time\ntime.sleep(30)\n' }),
      { waitReady: false, env: { NUCLEON_PYTHON_START_TIMEOUT_MS: '1000' } });
    const started = Date.now();
    expect(await p.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(p.output()).toMatch(/NUCLEON_ERR_WRAPPER_START: .*did not become ready in 1000 ms/);
  });

  it('refuses an interpreter that does not exist with NUCLEON_ERR_WRAPPER_START', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': pythonYaml(), 'main.py': SLOW }),
      { waitReady: false, env: { NUCLEON_PYTHON: '/nonexistent/python3' } });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('NUCLEON_ERR_WRAPPER_START');
    expect(p.output()).toContain('/nonexistent/python3');
  });
});
