import { describe, expect, it } from 'vitest';
import { exitCodeFor } from './errors.js';
import { createProgram } from './program.js';

const COMMANDS = ['init', 'run', 'deploy', 'invoke', 'get', 'delete', 'logs'];

async function parse(args: string[]): Promise<{ exit: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = createProgram({ writeOut: (s) => { out += s; }, writeErr: (s) => { err += s; } });
  try {
    await program.parseAsync(['node', 'nucleon', ...args]);
    return { exit: 0, out, err };
  } catch (error) {
    return { exit: exitCodeFor(error), out, err };
  }
}

describe('nucleon command tree', () => {
  it.each(COMMANDS)('%s --help prints usage and exits 0', async (command) => {
    const { exit, out } = await parse([command, '--help']);
    expect(exit).toBe(0);
    expect(out).toContain(`Usage: nucleon ${command}`);
  });

  it('lists every command and the exit codes in the top-level help', async () => {
    const { exit, out } = await parse(['--help']);
    expect(exit).toBe(0);
    for (const command of COMMANDS) expect(out).toContain(command);
    expect(out).toMatch(/3 function not found/);
  });

  it('keeps nuctl flags: deploy -p -f -e --runtime --handler --triggers, invoke -m -b -c -d -p', async () => {
    const deploy = (await parse(['deploy', '--help'])).out;
    for (const flag of ['-p, --path', '-f, --file', '-e, --env', '--runtime', '--handler', '--triggers', '--platform']) expect(deploy).toContain(flag);
    const invoke = (await parse(['invoke', '--help'])).out;
    for (const flag of ['-m, --method', '-b, --body', '-c, --content-type', '-d, --headers', '-p, --path', '-H, --header']) expect(invoke).toContain(flag);
  });

  it('exits 2 for unknown options, missing arguments, bad choices and no command', async () => {
    expect((await parse(['deploy', '--bogus'])).exit).toBe(2);
    expect((await parse(['invoke'])).exit).toBe(2);
    expect((await parse(['init', 'x', '--runtime', 'cobol'])).exit).toBe(2);
    expect((await parse(['get', '-o', 'xml'])).exit).toBe(2);
    expect((await parse(['run', '--http-port', 'eighty'])).exit).toBe(2);
    expect((await parse([])).exit).toBe(2);
  });
});
