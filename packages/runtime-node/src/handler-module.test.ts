import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, Response, type Context, type Event } from '@nucleon/core';
import { createTestEvent, noopLogger, noPlatform } from '@nucleon/core/testing';
import { findHandlerFile, loadHandlerModule, parseHandlerSpec } from './handler-module.js';

const root = mkdtempSync(join(tmpdir(), 'nucleon-handlers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** Writes files into a fresh function directory (import caches by URL, so never reuse one). */
function functionDir(files: Record<string, string>): string {
  counter += 1;
  const dir = join(root, `fn-${counter}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const context: Context = {
  logger: noopLogger, userData: {}, Response, callback() {}, workerId: 0, functionName: 'fn', triggerName: 'web', platform: noPlatform,
};
const call = (handler: (c: Context, e: Event) => unknown, body = 'x') => handler(context, createTestEvent({ body }));

describe('parseHandlerSpec', () => {
  it.each([
    ['main:handler', 'main', 'handler'],
    ['main', 'main', 'handler'],
    ['main:', 'main', 'handler'],
    ['lib/api:get_items', 'lib/api', 'get_items'],
    ['C:\\fn\\main:run', 'C:\\fn\\main', 'run'],
  ])('%s -> module %s, export %s', (spec, module, exportName) => {
    expect(parseHandlerSpec(spec)).toEqual({ module, exportName });
  });
});

describe('findHandlerFile', () => {
  it('tries .js, .mjs, .cjs, .ts, .mts, .cts in that order', () => {
    const all = ['main.cts', 'main.mts', 'main.ts', 'main.cjs', 'main.mjs', 'main.js'];
    const dir = functionDir(Object.fromEntries(all.map((f) => [f, ''])));
    for (const expected of [...all].reverse()) {
      expect(findHandlerFile(dir, 'main')).toBe(join(dir, expected));
      rmSync(join(dir, expected));
    }
    expect(findHandlerFile(dir, 'main')).toBeUndefined();
  });

  it('takes a name that already has a supported extension as is', () => {
    const dir = functionDir({ 'main.ts': '', 'main.js': '' });
    expect(findHandlerFile(dir, 'main.ts')).toBe(join(dir, 'main.ts'));
  });

  it('resolves a module in a subdirectory', () => {
    const dir = functionDir({});
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'api.mjs'), '');
    expect(findHandlerFile(dir, 'src/api')).toBe(join(dir, 'src', 'api.mjs'));
  });
});

describe('loadHandlerModule: module formats', () => {
  it('loads a CommonJS .js handler from exports.handler', async () => {
    const dir = functionDir({ 'main.js': 'exports.handler = (context, event) => "cjs " + event.body.toString();\n' });
    const mod = await loadHandlerModule(dir, 'main:handler');
    expect(mod.file).toBe(join(dir, 'main.js'));
    expect(call(mod.handler, 'hi')).toBe('cjs hi');
    expect(mod.initContext).toBeUndefined();
  });

  it('loads a CommonJS handler assigned to module.exports', async () => {
    const dir = functionDir({ 'main.cjs': 'module.exports = { run: () => "module.exports" };\n' });
    expect(call((await loadHandlerModule(dir, 'main:run')).handler)).toBe('module.exports');
  });

  it('loads an .mjs named export and an export default function', async () => {
    const named = functionDir({ 'main.mjs': 'export const handler = async () => "named";\n' });
    expect(await call((await loadHandlerModule(named, 'main')).handler)).toBe('named');
    const byDefault = functionDir({ 'main.mjs': 'export default function (context, event) { return "default"; }\n' });
    expect(call((await loadHandlerModule(byDefault, 'main:handler')).handler)).toBe('default');
  });

  it('loads a TypeScript handler with type annotations and import type', async () => {
    const dir = functionDir({
      'main.ts': [
        "import type { Context, Event } from '@nucleon/core';",
        'interface Reply { greeting: string }',
        'export const handler = (context: Context, event: Event): Reply => ({ greeting: `hi ${event.body.toString()}` });',
        '',
      ].join('\n'),
    });
    expect(call((await loadHandlerModule(dir, 'main:handler')).handler, 'ts')).toEqual({ greeting: 'hi ts' });
  });

  it('finds initContext, or init_context as Nuclio spells it', async () => {
    const camel = functionDir({ 'main.mjs': 'export const handler = () => 1;\nexport function initContext(c) { c.userData.init = "camel"; }\n' });
    const snake = functionDir({ 'main.js': 'exports.handler = () => 1;\nexports.init_context = (c) => { c.userData.init = "snake"; };\n' });
    for (const [dir, expected] of [[camel, 'camel'], [snake, 'snake']] as const) {
      const mod = await loadHandlerModule(dir, 'main:handler');
      const ctx = { ...context, userData: {} };
      await mod.initContext?.(ctx);
      expect(ctx.userData).toEqual({ init: expected });
    }
  });
});

describe('loadHandlerModule: errors', () => {
  it('refuses a missing file with HANDLER_NOT_FOUND listing the extensions tried', async () => {
    const dir = functionDir({ 'other.js': '' });
    const err = await loadHandlerModule(dir, 'main:handler').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.HANDLER_NOT_FOUND });
    expect((err as Error).message).toContain('main{.js,.mjs,.cjs,.ts,.mts,.cts}');
    expect((err as Error).message).toContain(dir);
  });

  it('refuses a missing export with HANDLER_NOT_FOUND listing what is exported', async () => {
    const esm = functionDir({ 'main.mjs': 'export const helper = 1;\nexport function other() {}\n' });
    const err = await loadHandlerModule(esm, 'main:handler').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.HANDLER_NOT_FOUND });
    expect((err as Error).message).toMatch(/"handler".*exports: helper, other/);

    const cjs = functionDir({ 'main.js': 'exports.handle = () => 1;\n' });
    expect((await loadHandlerModule(cjs, 'main:handler').catch((e: Error) => e.message))).toContain('exports: handle');

    const empty = functionDir({ 'main.mjs': '\n' });
    expect((await loadHandlerModule(empty, 'main:run').catch((e: Error) => e.message))).toContain('exports: nothing');
  });

  it('refuses an export that is not a function with HANDLER_NOT_FOUND', async () => {
    const dir = functionDir({ 'main.mjs': 'export const handler = "not a function";\n' });
    await expect(loadHandlerModule(dir, 'main:handler')).rejects.toMatchObject({ code: ErrorCodes.HANDLER_NOT_FOUND });
  });

  it('reports a syntax error as HANDLER_LOAD naming the file and keeping the cause', async () => {
    const dir = functionDir({ 'main.mjs': 'export const handler = () => {;\n' });
    const err = await loadHandlerModule(dir, 'main:handler').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.HANDLER_LOAD });
    expect((err as Error).message).toContain(join(dir, 'main.mjs'));
    expect((err as Error).cause).toBeInstanceOf(Error);
  });

  it('reports a module that throws while loading as HANDLER_LOAD', async () => {
    const dir = functionDir({ 'main.mjs': 'throw new Error("no config");\nexport const handler = () => 1;\n' });
    const err = await loadHandlerModule(dir, 'main:handler').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.HANDLER_LOAD });
    expect((err as Error).message).toContain('no config');
  });
});
