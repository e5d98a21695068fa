import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFunctionConfigText, validateFunctionConfig } from '@nucleon/core';
import { exitCodeFor } from './errors.js';
import { createProgram } from './program.js';
import { INIT_RUNTIMES, initTemplate } from './templates.js';

const EXPECTED = {
  node: { runtime: 'nodejs', handler: 'main:handler', file: 'main.js' },
  nodejs: { runtime: 'nodejs', handler: 'main:handler', file: 'main.js' },
  typescript: { runtime: 'typescript', handler: 'main:handler', file: 'main.ts' },
  ts: { runtime: 'typescript', handler: 'main:handler', file: 'main.ts' },
  python: { runtime: 'python:3.11', handler: 'main:handler', file: 'main.py' },
  go: { runtime: 'golang', handler: 'main:Handler', file: 'main.go' },
  golang: { runtime: 'golang', handler: 'main:Handler', file: 'main.go' },
  dotnetcore: { runtime: 'dotnetcore', handler: 'nuclio:Main', file: 'main.cs' },
  shell: { runtime: 'shell', handler: 'main.sh', file: 'main.sh' },
} as const;

describe('initTemplate', () => {
  it('covers every runtime init offers', () => {
    expect([...INIT_RUNTIMES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(INIT_RUNTIMES)('%s: function.yaml is valid, warning-free and names the handler file it comes with', (runtime) => {
    const expected = EXPECTED[runtime];
    const files = initTemplate('my-fn', runtime);
    expect(Object.keys(files).sort()).toEqual(['README.md', expected.file, 'function.yaml'].sort());
    const { config, warnings } = validateFunctionConfig(parseFunctionConfigText(files['function.yaml']!.content));
    expect(warnings).toEqual([]);
    expect(config.metadata.name).toBe('my-fn');
    expect(config.spec).toMatchObject({ runtime: expected.runtime, handler: expected.handler });
    expect(config.spec.triggers.http).toMatchObject({ kind: 'http', numWorkers: 1 });
    expect(files['README.md']!.content).toContain(`\`${expected.file}\` holds the handler`);
  });

  it('dotnetcore: class nuclio with Main(Context, Event) answering a Nuclio.Sdk Response, as Nuclio\'s .NET docs show', () => {
    const source = initTemplate('cs-fn', 'dotnetcore')['main.cs']!.content;
    expect(source).toContain('using Nuclio.Sdk;');
    expect(source).toMatch(/^public class nuclio$/m);
    expect(source).toMatch(/public object Main\(Context context, Event eventBase\)/);
    expect(source).toContain('context.Logger.InfoWith("cs-fn called", "method", eventBase.Method, "path", eventBase.Path);');
    expect(source).toMatch(/return new Response\(\)\s*\{\s*StatusCode = 200,\s*ContentType = "application\/text",/);
  });

  it('python: a Nuclio handler(context, event) that logs with info_with and answers with context.Response JSON', () => {
    const source = initTemplate('py-fn', 'python')['main.py']!.content;
    expect(source).toMatch(/^def handler\(context, event\):$/m);
    expect(source).toContain("context.logger.info_with('py-fn called', method=event.method, path=event.path)");
    expect(source).toMatch(/return context\.Response\(body=json\.dumps\(reply\), headers=\{\}, content_type='application\/json', status_code=200\)/);
  });

  it('go: package main with a nuclio-sdk-go Handler', () => {
    const source = initTemplate('go-fn', 'go')['main.go']!.content;
    expect(source).toMatch(/^package main\n/);
    expect(source).toContain('"github.com/nuclio/nuclio-sdk-go"');
    expect(source).toContain('func Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {');
    expect(source).toContain('context.Logger.InfoWith("go-fn called"');
    expect(source).not.toMatch(/^ {4}/m); // gofmt indents with tabs
  });

  it('shell: an executable sh script that reads stdin and quotes event data', () => {
    const file = initTemplate('sh-fn', 'shell')['main.sh']!;
    expect(file.mode).toBe(0o755);
    expect(file.content).toMatch(/^#!\/bin\/sh\n/);
    expect(file.content).toContain('body=$(cat)');
    expect(file.content).toContain(`printf 'received: %s\\n' "$body"`);
  });

  it('refuses a runtime it has no template for', () => {
    expect(() => initTemplate('x', 'cobol')).toThrow(/no template for runtime "cobol"/);
    expect(() => initTemplate('x', 'toString')).toThrow(/no template/);
  });
});

describe('nucleon init --runtime', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nucleon-init-'));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  async function init(...args: string[]): Promise<number> {
    try {
      await createProgram({ writeOut: () => undefined, writeErr: () => undefined }).parseAsync(['node', 'nucleon', 'init', ...args, '--dir', dir]);
      return 0;
    } catch (error) {
      return exitCodeFor(error);
    }
  }

  it.each(['python', 'go', 'shell'] as const)('%s writes the template files', async (runtime) => {
    expect(await init(`${runtime}-fn`, '--runtime', runtime)).toBe(0);
    const target = join(dir, `${runtime}-fn`);
    expect(readdirSync(target).sort()).toEqual(Object.keys(initTemplate(`${runtime}-fn`, runtime)).sort());
    expect(readFileSync(join(target, 'function.yaml'), 'utf8')).toBe(initTemplate(`${runtime}-fn`, runtime)['function.yaml']!.content);
  });

  it('makes the shell handler executable and leaves other files non-executable', async () => {
    expect(await init('sh-fn', '--runtime', 'shell')).toBe(0);
    expect(statSync(join(dir, 'sh-fn', 'main.sh')).mode & 0o111).not.toBe(0);
    expect(statSync(join(dir, 'sh-fn', 'function.yaml')).mode & 0o111).toBe(0);
  });
});
