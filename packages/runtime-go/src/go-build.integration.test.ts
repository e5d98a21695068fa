import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGoTestRoot, goFunctionYaml, startProcessor, type GoTestRoot } from './processor-harness.js';

// Nuclio's Go hello-world, written the way Nuclio's docs and examples show it.
const NUCLIO_DOCS_HANDLER = `package main

import (
	nuclio "github.com/nuclio/nuclio-sdk-go"
)

func Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	context.Logger.Info("This is an unstructured %s", "log")

	return nuclio.Response{
		StatusCode:  200,
		ContentType: "application/text",
		Body:        []byte("Hello, from Nuclio :]"),
	}, nil
}
`;

const COMPILE_ERROR_HANDLER = `package main

import "github.com/nuclio/nuclio-sdk-go"

func Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	return undefinedThing, nil
}
`;

describe('building Go functions', () => {
  let root: GoTestRoot;

  beforeAll(() => {
    root = createGoTestRoot();
  });
  afterAll(() => root?.remove());

  it('runs a handler written exactly as Nuclio\'s Go docs show, unchanged', async () => {
    const dir = root.functionDir({ 'function.yaml': goFunctionYaml(), 'helloworld.go': NUCLIO_DOCS_HANDLER });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir });
    try {
      const res = await fetch(`${p.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/text');
      expect(await res.text()).toBe('Hello, from Nuclio :]');
      expect(p.logLines().some((l) => l.msg === 'This is an unstructured log')).toBe(true);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  }, 300_000);

  it('reuses the cached binary on a second start of the same function', async () => {
    const dir = root.functionDir({ 'function.yaml': goFunctionYaml({ name: 'cached' }), 'main.go': NUCLIO_DOCS_HANDLER.replace('Hello', 'Cached') });
    const first = await startProcessor(dir, { cacheDir: root.cacheDir });
    expect(await first.stop()).toBe(0);
    expect(first.logLines().some((l) => l.msg === 'building Go handler')).toBe(true);

    const second = await startProcessor(dir, { cacheDir: root.cacheDir });
    try {
      console.info(`go runtime: build start ready after ${first.readyAfterMs} ms, cached start after ${second.readyAfterMs} ms`);
      const messages = second.logLines().map((l) => l.msg);
      expect(messages).toContain('using cached build');
      expect(messages).not.toContain('building Go handler');
      expect(second.readyAfterMs).toBeLessThan(5000);
      expect(await (await fetch(`${second.url}/`)).text()).toBe('Cached, from Nuclio :]');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 300_000);

  it('detects the handler by its signature when spec.handler is left out, as Nuclio does', async () => {
    const dir = root.functionDir({
      'function.yaml': goFunctionYaml({ name: 'detect', handler: null }),
      'main.go': NUCLIO_DOCS_HANDLER.replace('func Handler', 'func Greet'),
    });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir });
    try {
      expect(await (await fetch(`${p.url}/`)).text()).toBe('Hello, from Nuclio :]');
      expect(p.logLines().find((l) => l.msg === 'Go handler detected by signature')).toMatchObject({ handler: 'Greet' });
    } finally {
      expect(await p.stop()).toBe(0);
    }
  }, 300_000);

  it('exits non-zero with the compiler\'s message, file and line when the handler does not compile', async () => {
    const dir = root.functionDir({ 'function.yaml': goFunctionYaml({ name: 'broken' }), 'main.go': COMPILE_ERROR_HANDLER });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir, waitReady: false });
    const code = await p.exited;
    expect(code).not.toBe(0);
    expect(p.output()).toContain('NUCLEON_ERR_RUNTIME_BUILD');
    expect(p.output()).toContain(`${dir}/main.go:6:9: undefined: undefinedThing`);
  }, 300_000);

  it('names the missing handler when spec.handler points at nothing', async () => {
    const dir = root.functionDir({ 'function.yaml': goFunctionYaml({ name: 'missing', handler: 'main:Missing' }), 'main.go': NUCLIO_DOCS_HANDLER });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir, waitReady: false });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toContain('NUCLEON_ERR_HANDLER_NOT_FOUND');
    expect(p.output()).toContain('handler Missing is not declared in package main');
  }, 300_000);

  it('fails the start with InitContext\'s error', async () => {
    const handler = `${NUCLIO_DOCS_HANDLER}\nfunc InitContext(context *nuclio.Context) error {\n\treturn nuclio.NewErrInternalServerError("database unreachable")\n}\n`;
    const dir = root.functionDir({ 'function.yaml': goFunctionYaml({ name: 'init-fails' }), 'main.go': handler });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir, waitReady: false });
    expect(await p.exited).not.toBe(0);
    expect(p.output()).toContain('NUCLEON_ERR_INIT_CONTEXT_FAILED');
    expect(p.output()).toContain('InitContext failed: database unreachable');
  }, 300_000);

  it('builds a function that brings its own go.mod and a local package', async () => {
    const dir = root.functionDir({
      'function.yaml': goFunctionYaml({ name: 'with-mod' }),
      'go.mod': 'module example.com/greeter\n\ngo 1.21\n',
      'greeting/greeting.go': 'package greeting\n\nfunc For(name string) string { return "hi " + name }\n',
      'main.go': `package main

import (
	"example.com/greeter/greeting"

	"github.com/nuclio/nuclio-sdk-go"
)

func Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	return greeting.For(string(event.GetBody())), nil
}
`,
    });
    const p = await startProcessor(dir, { cacheDir: root.cacheDir });
    try {
      expect(await (await fetch(`${p.url}/`, { method: 'POST', body: 'ann' })).text()).toBe('hi ann');
    } finally {
      expect(await p.stop()).toBe(0);
    }
  }, 300_000);
});
