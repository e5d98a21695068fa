import { until } from '@nucleon/processor/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDotnetTestRoot, dotnetFunctionYaml, startProcessor, type DotnetTestRoot } from './processor-harness.js';

// The handler of Nuclio's .NET Core reference page (docs.nuclio.io, runtimes/dotnetcore), unchanged.
const NUCLIO_DOCS_HANDLER = `using System;
using Nuclio.Sdk;

public class nuclio
{
    public object empty(Context context, Event eventBase)
    {
        return new Response()
        {
            StatusCode = 200,
            ContentType = "application/text",
            Body = ""
        };
    }
}
`;

// The shape Nuclio's own dotnetcore tests use: a string-returning method, GetBody() as text, the logger.
const NUCLIO_STYLE_HANDLER = `using System;
using Nuclio.Sdk;

public class nuclio
{
    public string Main(Context context, Event eventBase)
    {
        context.Logger.Info("Info message {0}", eventBase.Method);
        return "Hello, " + eventBase.GetBody();
    }
}
`;

const COMPILE_ERROR_HANDLER = `using System;
using Nuclio.Sdk;

public class nuclio
{
    public object Main(Context context, Event eventBase)
    {
        return undefinedThing;
    }
}
`;

describe('building .NET functions', () => {
  let root: DotnetTestRoot;

  beforeAll(() => {
    root = createDotnetTestRoot();
  });
  afterAll(() => root?.remove());

  it('runs the handler from Nuclio\'s .NET docs unchanged', async () => {
    const dir = root.functionDir({ 'function.yaml': dotnetFunctionYaml({ handler: 'nuclio:empty' }), 'empty.cs': NUCLIO_DOCS_HANDLER });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir });
    try {
      const res = await fetch(`${p.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/text');
      expect(await res.text()).toBe('');
    } finally {
      expect(await p.stop()).toBe(0);
    }
  }, 180_000);

  it('runs a string-returning handler and reuses the cached assembly on a second start', async () => {
    const dir = root.functionDir({ 'function.yaml': dotnetFunctionYaml({ name: 'cached' }), 'main.cs': NUCLIO_STYLE_HANDLER });
    const first = await startProcessor(dir, { cacheDir: root.cacheDir });
    try {
      const res = await fetch(`${first.url}/`, { method: 'POST', body: 'ann' });
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await res.text()).toBe('Hello, ann');
      // The processor logs LOG frames as they come; its stdout may reach us a moment after the answer.
      await until('the handler log line', () => first.logLines().some((l) => l.msg === 'Info message POST' && l.level === 'info'), 10_000);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(first.logLines().some((l) => l.msg === 'compiling the .NET handler')).toBe(true);

    const second = await startProcessor(dir, { cacheDir: root.cacheDir });
    try {
      console.info(`dotnet runtime: compile start ready after ${first.readyAfterMs} ms, cached start after ${second.readyAfterMs} ms`);
      const messages = second.logLines().map((l) => l.msg);
      expect(messages).toContain('using cached .NET build');
      expect(messages).not.toContain('compiling the .NET handler');
      expect(await (await fetch(`${second.url}/`, { method: 'POST', body: 'bob' })).text()).toBe('Hello, bob');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 180_000);

  it('exits non-zero with the compiler\'s message, file and line when the handler does not compile', async () => {
    const dir = root.functionDir({ 'function.yaml': dotnetFunctionYaml({ name: 'broken' }), 'main.cs': COMPILE_ERROR_HANDLER });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir, waitReady: false });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toContain('NUCLEON_ERR_RUNTIME_BUILD');
    expect(p.output()).toContain(`the C# compiler (mcs) failed for the .NET function in ${dir}`);
    expect(p.output()).toMatch(new RegExp(`${dir}/main\\.cs:8:\\d+: error CS0103: The name .undefinedThing. does not exist`));
  }, 180_000);

  it('names the missing class or method when spec.handler points at nothing', async () => {
    const dir = root.functionDir({ 'function.yaml': dotnetFunctionYaml({ name: 'missing', handler: 'nuclio:Missing' }), 'main.cs': NUCLIO_STYLE_HANDLER });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir, waitReady: false });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toContain('NUCLEON_ERR_HANDLER_NOT_FOUND');
    expect(p.output()).toContain('class nuclio has no public method Missing(Context context, Event eventBase)');
  }, 180_000);

  it('fails the start with the exception InitContext threw', async () => {
    const handler = NUCLIO_STYLE_HANDLER.replace('public string Main', 'public void InitContext(Context context) { throw new Exception("database unreachable"); }\n\n    public string Main');
    const dir = root.functionDir({ 'function.yaml': dotnetFunctionYaml({ name: 'init-fails' }), 'main.cs': handler });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir, waitReady: false });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toContain('NUCLEON_ERR_INIT_CONTEXT_FAILED');
    expect(p.output()).toContain('database unreachable');
  }, 180_000);
});
