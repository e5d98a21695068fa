import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes } from '@nucleon/core';
import { handlerName, parseShebang, resolveHandlerCommand, SHELL } from './handler-command.js';

const dir = mkdtempSync(join(tmpdir(), 'nucleon-shell-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string, mode = 0o644): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('handlerName', () => {
  it.each([
    ['reverser.sh', 'reverser.sh'],
    ['outputter.sh:main', 'outputter.sh'],
    ['bin/run:', 'bin/run'],
    ['convert', 'convert'],
    ['C:\\fn\\run.cmd', 'C:\\fn\\run.cmd'],
  ])('%s -> %s', (spec, name) => expect(handlerName(spec)).toBe(name));
});

describe('parseShebang', () => {
  it('splits the interpreter from its one optional argument, as Linux does', () => {
    expect(parseShebang('#!/bin/sh\necho')).toEqual({ interpreter: '/bin/sh', args: [] });
    expect(parseShebang('#! /usr/bin/env python3 \r\nprint()')).toEqual({ interpreter: '/usr/bin/env', args: ['python3'] });
    expect(parseShebang('#!/usr/bin/awk -f -x\n')).toEqual({ interpreter: '/usr/bin/awk', args: ['-f -x'] });
    expect(parseShebang('#!\n')).toBeUndefined();
  });
});

describe('resolveHandlerCommand', () => {
  it('runs an executable script with a shebang directly', () => {
    const path = file('exec.sh', '#!/bin/sh\ncat\n', 0o755);
    expect(resolveHandlerCommand(dir, 'exec.sh:main')).toEqual({ file: path, leadingArgs: [], handlerPath: path, via: 'exec' });
  });

  it('runs a non-executable script through its shebang interpreter', () => {
    const path = file('noexec.py', '#!/usr/bin/env python3\nprint(1)\n');
    expect(resolveHandlerCommand(dir, 'noexec.py')).toMatchObject({ file: '/usr/bin/env', leadingArgs: ['python3', path], via: 'shebang' });
  });

  it('runs a script without shebang with /bin/sh, executable or not', () => {
    const plain = file('plain.sh', 'cat\n');
    expect(resolveHandlerCommand(dir, 'plain.sh')).toMatchObject({ file: SHELL, leadingArgs: [plain], via: 'sh' });
    const executable = file('plain-x.sh', 'cat\n', 0o755);
    expect(resolveHandlerCommand(dir, 'plain-x.sh')).toMatchObject({ file: SHELL, leadingArgs: [executable], via: 'sh' });
  });

  it('resolves a file in a subdirectory of the function directory', () => {
    mkdirSync(join(dir, 'bin'), { recursive: true });
    const path = file('bin/run.sh', '#!/bin/sh\n', 0o755);
    expect(resolveHandlerCommand(dir, 'bin/run.sh')).toMatchObject({ file: path, via: 'exec' });
  });

  it('finds a bare executable name on PATH when no such file is in the function directory', () => {
    const binDir = join(dir, 'path-bin');
    mkdirSync(binDir, { recursive: true });
    file('path-bin/tool', '#!/bin/sh\n', 0o755);
    file('path-bin/not-executable', '#!/bin/sh\n');
    expect(resolveHandlerCommand(join(dir, 'bin'), 'tool', `/nonexistent:${binDir}`)).toMatchObject({ file: join(binDir, 'tool'), via: 'path' });
    expect(() => resolveHandlerCommand(join(dir, 'bin'), 'not-executable', binDir)).toThrow(/no executable "not-executable" on PATH/);
  });

  it('refuses a missing handler with HANDLER_NOT_FOUND naming where it looked', () => {
    const err = (() => { try { resolveHandlerCommand(dir, 'missing.sh:main', ''); } catch (e) { return e; } })();
    expect(err).toMatchObject({ code: ErrorCodes.HANDLER_NOT_FOUND });
    expect((err as Error).message).toContain(join(dir, 'missing.sh'));
    expect(() => resolveHandlerCommand(dir, 'sub/missing.sh', '')).toThrow(expect.objectContaining({ code: ErrorCodes.HANDLER_NOT_FOUND }));
    expect(() => resolveHandlerCommand(dir, 'bin', '')).toThrow(/no file/); // a directory is no handler
    expect(() => resolveHandlerCommand(dir, ':main', '')).toThrow(/names no script/);
  });
});
