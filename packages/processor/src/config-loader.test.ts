import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '@nucleon/core';
import { loadFunctionConfig, nameFromPath } from './config-loader.js';

const root = mkdtempSync(join(tmpdir(), 'nucleon-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(dir: string, file: string, text: string): string {
  const folder = join(root, dir);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, file), text);
  return join(folder, file);
}

const VALID_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

describe('nameFromPath', () => {
  it.each([
    ['/srv/functions/hello', 'hello'],
    ['/srv/functions/My_Func', 'my-func'],
    ['./My_Func.js', 'my-func'],
    ['/srv/handlers/main.ts', 'main'],
    ['/srv/hello-world/function.yaml', 'hello-world'],
    ['/srv/Orders.Service/function.yml', 'orders-service'],
    ['/srv/api/config.json', 'api'],
    ['/srv/__weird__ name!!', 'weird-name'],
    ['/srv/___', 'function'],
    ['/srv/ünïcode', 'n-code'],
  ])('%s -> %s', (path, name) => {
    expect(nameFromPath(path)).toBe(name);
  });

  it('keeps names within 63 characters and still valid when the cut lands on a separator', () => {
    for (const dir of ['a'.repeat(100), `${'a'.repeat(62)}_b`, `${'a'.repeat(61)}__bcd`]) {
      const name = nameFromPath(`/srv/${dir}`);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(VALID_NAME);
    }
  });
});

describe('loadFunctionConfig', () => {
  it('reads a file and names the function after its directory when metadata.name is absent', () => {
    const file = write('Greeter_Fn', 'function.yaml', 'spec:\n  runtime: nodejs\n  handler: main:handler\n');
    const { config } = loadFunctionConfig({ file });
    expect(config.metadata.name).toBe('greeter-fn');
    expect(config.spec.handler).toBe('main:handler');
  });

  it('prefers metadata.name, then defaultName, over the directory name', () => {
    const named = write('dir-a', 'function.yaml', 'metadata:\n  name: explicit\nspec:\n  runtime: nodejs\n  handler: main:handler\n');
    expect(loadFunctionConfig({ file: named, defaultName: 'other' }).config.metadata.name).toBe('explicit');
    const unnamed = write('dir-b', 'function.yaml', 'spec:\n  runtime: nodejs\n  handler: main:handler\n');
    expect(loadFunctionConfig({ file: unnamed, defaultName: 'given' }).config.metadata.name).toBe('given');
  });

  it('accepts inline text', () => {
    const { config } = loadFunctionConfig({ text: '{"metadata":{"name":"inline"},"spec":{"runtime":"nodejs","handler":"m:h"}}' });
    expect(config.metadata.name).toBe('inline');
  });

  it('refuses a missing file with CONFIG_NOT_FOUND naming it', () => {
    const file = join(root, 'nope', 'function.yaml');
    expect(() => loadFunctionConfig({ file })).toThrow(expect.objectContaining({
      code: ErrorCodes.CONFIG_NOT_FOUND, message: expect.stringContaining(file),
    }));
  });

  it('refuses a call with neither file nor text with CONFIG_NOT_FOUND', () => {
    expect(() => loadFunctionConfig({})).toThrow(expect.objectContaining({ code: ErrorCodes.CONFIG_NOT_FOUND }));
  });

  it('refuses malformed YAML with CONFIG_PARSE naming the file and line', () => {
    const file = write('broken', 'function.yaml', 'spec:\n  runtime: nodejs\n  handler: [unclosed\n');
    expect(() => loadFunctionConfig({ file })).toThrow(expect.objectContaining({
      code: ErrorCodes.CONFIG_PARSE, message: expect.stringMatching(/function\.yaml[\s\S]*line \d+/),
    }));
  });

  it('refuses an invalid configuration with INVALID_CONFIG', () => {
    const file = write('invalid', 'function.yaml', 'spec:\n  runtime: 42\n');
    expect(() => loadFunctionConfig({ file })).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_CONFIG }));
  });
});
