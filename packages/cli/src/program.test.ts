import { describe, expect, it } from 'vitest';
import { exitCodeFor, formatError } from './errors.js';
import { createProgram } from './program.js';

const COMMANDS = ['init', 'run', 'deploy', 'invoke', 'get', 'delete', 'logs', 'export', 'dashboard', 'version'];

async function parse(args: string[]): Promise<{ exit: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = createProgram({ writeOut: (s) => { out += s; }, writeErr: (s) => { err += s; } });
  try {
    await program.parseAsync(['node', 'nucleon', ...args]);
    return { exit: 0, out, err };
  } catch (error) {
    return { exit: exitCodeFor(error), out, err: err + formatError(error, {}) };
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

  it('refuses nuctl flags it does not support by name (exit 2), before doing anything', async () => {
    const cases: [string[], string][] = [
      [['deploy', 'f', '--nodeName', 'n1'], '--nodeName'],
      [['deploy', 'f', '--publish'], '--publish'],
      [['build', '-r', 'registry.io'], '--registry'],
      [['build', '--no-pull'], '--no-pull'],
      [['get', 'functions', '-l', 'a=b'], '--labels'],
      [['invoke', 'f', '--via', 'any'], '--via'],
      [['export', 'function', 'f', '--no-scrub'], '--no-scrub'],
    ];
    for (const [args, flag] of cases) {
      const { exit, err } = await parse(args);
      expect(exit, args.join(' ')).toBe(2);
      expect(err).toBe(`error: ${flag} is a nuctl flag Nucleon does not support yet; see docs/cli.md\n`);
    }
  });

  it('refuses nuctl commands it does not support by name (exit 2), whatever follows them', async () => {
    for (const args of [['create', 'project', 'p'], ['import', '--file', 'f.yaml'], ['update', 'function', 'f'], ['beta']]) {
      const { exit, err } = await parse(args);
      expect(exit, args.join(' ')).toBe(2);
      expect(err).toBe(`error: "${args[0]}" is a nuctl command Nucleon does not support yet; see docs/cli.md\n`);
    }
  });

  it('lists the nuctl deploy flags it supports in deploy --help, and get function / delete function / export function', async () => {
    const deploy = (await parse(['deploy', '--help'])).out;
    for (const flag of ['-n, --namespace', '--replicas', '--min-replicas', '--max-replicas', '-l, --labels', '--annotations', '--desc',
      '--build-command', '--base-image', '--runtime-attrs', '--resource-limit', '--resource-request', '--logger-level', '-v, --verbose']) {
      expect(deploy).toContain(flag);
    }
    // nuctl's registry and cluster flags are the kube platform's.
    for (const flag of ['-r, --registry', '--run-registry', '-k, --kubeconfig', '--context']) expect(deploy).toContain(flag);
    expect((await parse(['get', 'function', '--help'])).out).toMatch(/-o, --output <format>\s+table \(nuctl's text\), wide, json or yaml/);
    expect((await parse(['delete', 'functions', '--help'])).out).toContain('Usage: nucleon delete function|functions');
    expect((await parse(['export', 'function', '--help'])).out).toContain('Usage: nucleon export function|functions');
    expect((await parse(['invoke', '--help'])).out).toMatch(/-t, --timeout <duration>[\s\S]*-l, --log-level <level>/);
  });
});
