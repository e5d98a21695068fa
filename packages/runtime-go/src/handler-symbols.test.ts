import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isNucleonError } from '@nucleon/core';
import { handlerShapedFunctions, handlerSymbol, readMainSources, resolveSymbols, type GoSource } from './handler-symbols.js';

const NUCLIO_HANDLER = `package main

import "github.com/nuclio/nuclio-sdk-go"

func Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	return nil, nil
}
`;

function source(text: string, file = 'main.go'): GoSource {
  return { file, text };
}

describe('handlerSymbol', () => {
  it('takes the part after the colon, or the whole spec', () => {
    expect(handlerSymbol('main:Handler')).toBe('Handler');
    expect(handlerSymbol('Handler')).toBe('Handler');
  });

  it('refuses what cannot be a Go identifier', () => {
    expect(() => handlerSymbol('main:my-handler')).toThrow(/main:Handler/);
  });
});

describe('resolveSymbols', () => {
  it('finds the named handler and notices InitContext', () => {
    const withInit = `${NUCLIO_HANDLER}\nfunc InitContext(context *nuclio.Context) error { return nil }\n`;
    expect(resolveSymbols([source(withInit)], 'main:Handler', '/fn')).toEqual({ handler: 'Handler', initContext: true });
    expect(resolveSymbols([source(NUCLIO_HANDLER)], 'main:Handler', '/fn')).toEqual({ handler: 'Handler', initContext: false });
  });

  it('ignores a commented-out InitContext', () => {
    const text = `${NUCLIO_HANDLER}\n// func InitContext(context *nuclio.Context) error { return nil }\n/*\nfunc InitContext() {}\n*/\n`;
    expect(resolveSymbols([source(text)], 'main:Handler', '/fn').initContext).toBe(false);
  });

  it('detects the handler by signature when the spec is the default main:handler, as Nuclio does', () => {
    const aliased = NUCLIO_HANDLER.replace('import "github', 'import sdk "github').replace(/nuclio\./g, 'sdk.').replace('interface{}', 'any');
    expect(handlerShapedFunctions([source(aliased)])).toEqual(['Handler']);
    expect(resolveSymbols([source(aliased)], 'main:handler', '/fn')).toEqual({ handler: 'Handler', initContext: false, detected: true });
  });

  it('refuses to guess between several handler-shaped functions', () => {
    const two = `${NUCLIO_HANDLER}\nfunc Other(c *nuclio.Context, e nuclio.Event) (interface{}, error) { return nil, nil }\n`;
    expect(() => resolveSymbols([source(two)], 'main:handler', '/fn')).toThrow(/several functions could be the handler in \/fn \(Handler, Other\)/);
  });

  it('says so when there is no Go code of package main', () => {
    try {
      resolveSymbols([], 'main:Handler', '/fn');
      expect.unreachable();
    } catch (error) {
      expect(isNucleonError(error, 'NUCLEON_ERR_HANDLER_NOT_FOUND')).toBe(true);
    }
  });

  it('leaves a named handler it cannot see to the compiler', () => {
    const varHandler = 'package main\n\nvar (\n\tHandler = build()\n)\n';
    expect(resolveSymbols([source(varHandler)], 'main:Handler', '/fn')).toEqual({ handler: 'Handler', initContext: false });
  });
});

describe('readMainSources', () => {
  it('reads the top-level package main files, tests and other packages excluded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nucleon-go-src-'));
    writeFileSync(join(dir, 'main.go'), NUCLIO_HANDLER);
    writeFileSync(join(dir, 'main_test.go'), 'package main\n');
    writeFileSync(join(dir, 'tool.go'), '// Package tool.\npackage tool\n');
    writeFileSync(join(dir, 'README.md'), 'package main\n');
    try {
      expect((await readMainSources(dir)).map((s) => s.file)).toEqual(['main.go']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
