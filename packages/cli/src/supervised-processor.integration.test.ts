import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killIfAlive, processRunning, recordedPids, runNucleon, waitFor, type CliResult } from './test-helpers/cli-process.js';

// The local platform's supervisor, through the built CLI and the real processor: a processor
// that dies is restarted, its environment is spec.env plus what runtimes need, the memory
// limit holds, the log is bounded, and a recycled pid is never signalled.
const PROCESSOR_MAIN = fileURLToPath(import.meta.resolve('@nucleon/processor/main'));
let home: string;
let env: NodeJS.ProcessEnv;

interface StatusView {
  state: string;
  restarts?: number;
  details: { pid: number; supervisorPid: number; logFile: string; lastExit?: { code: number | null; signal: string | null; reason?: string } };
}

function nucleon(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runNucleon(args, { cwd: home, env: { ...env, ...extraEnv } });
}

async function status(name: string): Promise<StatusView> {
  const get = await nucleon(['get', 'function', name, '-o', 'json']);
  expect(get.code, get.stderr).toBe(0);
  return (JSON.parse(get.stdout) as { status: StatusView }).status;
}

/** Polls `get` until `check` accepts the status (bounded). */
async function statusWhen(name: string, check: (s: StatusView) => boolean, timeoutMs = 30_000): Promise<StatusView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await status(name);
    if (check(s)) return s;
    if (Date.now() > until) throw new Error(`status of ${name} never matched: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function fn(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(home, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

/** Every process whose command line names this test's state directory (supervisors, processors). */
function processesOf(stateDir: string): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).flatMap((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(stateDir) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-supervised-'));
  env = { ...process.env, NUCLEON_HOME: join(home, 'state'), NUCLEON_DEBUG: '', NUCLEON_TEST_SECRET: 'only-in-the-deployer-shell' };
});
afterAll(async () => {
  for (const pid of recordedPids(join(home, 'state'))) {
    killIfAlive(-pid);
    killIfAlive(pid, PROCESSOR_MAIN);
  }
  await rm(home, { recursive: true, force: true });
});

describe('the local platform supervises its processors', () => {
  it('restarts a processor that crashed or was killed, counts it in get, and delete leaves no process', async () => {
    const dir = await fn('crashy', {
      'main.js': `let calls = 0;
exports.handler = (ctx, event) => {
  calls++;
  // An uncaught exception outside the handler's promise exits the processor (code 70).
  if (event.path === '/crash' && calls === 1) setTimeout(() => { throw new Error('boom in a timer'); }, 20);
  return String(process.pid);
};
`,
    });
    expect((await nucleon(['deploy', 'crashy', '-p', join(dir, 'main.js')])).code).toBe(0);
    const first = await status('crashy');
    expect(first).toMatchObject({ state: 'ready', restarts: 0 });

    expect((await nucleon(['invoke', 'crashy', '-p', '/crash'])).stdout).toBe(String(first.details.pid));
    const afterCrash = await statusWhen('crashy', (s) => s.restarts === 1 && s.state === 'ready');
    expect(afterCrash.details.lastExit).toMatchObject({ code: 70, signal: null });
    expect(afterCrash.details.pid).not.toBe(first.details.pid);
    expect(afterCrash.details.supervisorPid).toBe(first.details.supervisorPid);
    const answer = await nucleon(['invoke', 'crashy']);
    expect(answer).toMatchObject({ code: 0, stdout: String(afterCrash.details.pid) });

    process.kill(afterCrash.details.pid, 'SIGKILL');
    const afterKill = await statusWhen('crashy', (s) => s.restarts === 2 && s.state === 'ready');
    expect(afterKill.details.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect((await nucleon(['invoke', 'crashy'])).stdout).toBe(String(afterKill.details.pid));
    const log = readFileSync(afterKill.details.logFile, 'utf8');
    expect(log).toMatch(/"name":"supervisor","msg":"processor exited \(exit code 70\); restart 1 in 1000 ms"/);
    expect(log).toMatch(/"msg":"processor exited \(killed by SIGKILL\); restart 2 in 2000 ms"/);

    expect((await nucleon(['delete', 'crashy'])).code).toBe(0);
    for (const pid of [first.details.pid, afterCrash.details.pid, afterKill.details.pid, first.details.supervisorPid]) expect(processRunning(pid), `pid ${pid}`).toBe(false);
    expect(processesOf(join(home, 'state', 'local', 'functions', 'crashy'))).toEqual([]);
  }, 90_000);

  it('restarts a processor the event-loop watchdog ended because a handler blocked it', async () => {
    const dir = await fn('frozen', {
      'main.js': `exports.handler = (ctx, event) => {
  if (event.path === '/block') for (;;) { /* never yields: only the watchdog can end this */ }
  return String(process.pid);
};
`,
    });
    const deploy = await nucleon(['deploy', 'frozen', '-p', join(dir, 'main.js'), '-e', 'NUCLEON_LOOP_BLOCK_TIMEOUT_MS=1000']);
    expect(deploy.code, deploy.stderr).toBe(0);
    const first = await status('frozen');
    const blocked = await nucleon(['invoke', 'frozen', '-p', '/block', '-t', '20s']);
    expect(blocked.code).not.toBe(0);
    const after = await statusWhen('frozen', (s) => s.restarts === 1 && s.state === 'ready');
    expect(after.details.lastExit).toMatchObject({ code: 75, signal: null });
    expect(readFileSync(after.details.logFile, 'utf8')).toMatch(/event loop blocked/i);
    expect(await nucleon(['invoke', 'frozen'])).toMatchObject({ code: 0, stdout: String(after.details.pid) });
    expect(after.details.pid).not.toBe(first.details.pid);
    expect((await nucleon(['delete', 'frozen'])).code).toBe(0);
  }, 90_000);

  it("gives the processor spec.env and PATH but not what only the deployer's shell exports", async () => {
    const dir = await fn('envy', {
      'main.js': `exports.handler = () => JSON.stringify({ mine: process.env.MINE ?? null, secret: process.env.NUCLEON_TEST_SECRET ?? null,
  path: process.env.PATH ?? null, home: process.env.HOME ?? null, names: Object.keys(process.env).sort() });
`,
    });
    expect((await nucleon(['deploy', 'envy', '-p', join(dir, 'main.js'), '-e', 'MINE=from-spec'])).code).toBe(0);
    const seen = JSON.parse((await nucleon(['invoke', 'envy'])).stdout) as { mine: string; secret: string | null; path: string; home: string; names: string[] };
    expect(seen).toMatchObject({ mine: 'from-spec', secret: null, path: process.env.PATH, home: process.env.HOME });
    // Passed on request only.
    expect((await nucleon(['deploy', 'envy', '-p', join(dir, 'main.js')], { NUCLEON_LOCAL_PASS_ENV: 'NUCLEON_TEST_SECRET' })).code).toBe(0);
    expect(JSON.parse((await nucleon(['invoke', 'envy'])).stdout)).toMatchObject({ secret: 'only-in-the-deployer-shell', mine: null });
    expect((await nucleon(['delete', 'envy'])).code).toBe(0);
  }, 60_000);

  it('stops a handler allocating without limit near resources.limits.memory, says why, and restarts it', async () => {
    const dir = await fn('hog', {
      // Off-heap, touched buffers (the Node heap cap alone would not see them); at most 1.5 GiB.
      'main.js': `const hoard = [];
exports.handler = async () => {
  for (let i = 0; i < 96; i++) {
    hoard.push(Buffer.alloc(16 * 1024 * 1024, 1));
    await new Promise((r) => setTimeout(r, 20));
  }
  return 'allocated 1.5 GiB';
};
`,
      'function.yaml': 'metadata: { name: hog }\nspec:\n  runtime: nodejs\n  handler: main:handler\n  resources: { limits: { memory: 256Mi } }\n',
    });
    const deploy = await nucleon(['deploy', 'hog', '-p', dir]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stderr).not.toMatch(/spec\.resources.*not applied/);
    const invoke = await nucleon(['invoke', 'hog']);
    expect(invoke.stdout).not.toBe('allocated 1.5 GiB');
    expect(invoke.code).not.toBe(0);
    const after = await statusWhen('hog', (s) => s.restarts === 1 && s.state === 'ready');
    expect(after.details.lastExit).toMatchObject({ signal: 'SIGKILL', reason: 'memory limit exceeded' });
    const killed = readFileSync(after.details.logFile, 'utf8').split('\n').map((l) => /"msg":"memory limit exceeded.*"rssBytes":(\d+)/.exec(l)).find(Boolean);
    expect(killed, 'the log says why').toBeTruthy();
    // Killed near the limit: well under the 1.5 GiB the handler would take (at most 16 MiB per 20 ms, sampled every 250 ms).
    expect(Number(killed![1])).toBeGreaterThan(256 * 1024 * 1024);
    expect(Number(killed![1])).toBeLessThan(768 * 1024 * 1024);
    expect((await nucleon(['delete', 'hog'])).code).toBe(0);
  }, 60_000);

  it('rotates the log by size, caps a 10 MB line, and logs a stderr write without a newline', async () => {
    const dir = await fn('chatty', {
      'main.js': `exports.handler = (ctx, event) => {
  if (event.path === '/huge') console.log('H'.repeat(10 * 1024 * 1024));
  if (event.path === '/many') for (let i = 0; i < 3000; i++) console.log('line ' + i + ' ' + 'x'.repeat(60));
  if (event.path === '/partial') process.stderr.write('partial stderr without a newline');
  return 'ok';
};
`,
    });
    const limits = { NUCLEON_LOCAL_LOG_MAX_BYTES: String(64 * 1024), NUCLEON_LOCAL_LOG_FILES: '2' };
    expect((await nucleon(['deploy', 'chatty', '-p', join(dir, 'main.js')], limits)).code).toBe(0);
    const { logFile } = (await status('chatty')).details;

    expect((await nucleon(['invoke', 'chatty', '-p', '/huge'])).code).toBe(0);
    await waitFor(() => (readFileSync(logFile, 'utf8').includes('line cut') ? true : undefined));
    const capped = readFileSync(logFile, 'utf8').split('\n').find((l) => l.startsWith('HHHH'))!;
    expect(capped).toMatch(/^H{16384} … \[line cut: 10469376 more bytes dropped\]$/);

    expect((await nucleon(['invoke', 'chatty', '-p', '/many'])).code).toBe(0);
    await waitFor(() => (readFileSync(logFile, 'utf8').includes('line 2999 ') ? true : undefined));
    expect(existsSync(`${logFile}.1`)).toBe(true);
    expect(existsSync(`${logFile}.2`)).toBe(true);
    expect(existsSync(`${logFile}.3`)).toBe(false);
    for (const file of [logFile, `${logFile}.1`, `${logFile}.2`]) expect(statSync(file).size).toBeLessThanOrEqual(64 * 1024);

    expect((await nucleon(['invoke', 'chatty', '-p', '/partial'])).code).toBe(0);
    await waitFor(() => (readFileSync(logFile, 'utf8').includes('partial stderr without a newline\n') ? true : undefined), 5_000);
    expect((await nucleon(['logs', 'chatty'])).stdout).toContain('partial stderr without a newline\n');
    expect((await nucleon(['delete', 'chatty'])).code).toBe(0);
  }, 60_000);

  it('does not signal a recorded pid whose start time is not the recorded one (a recycled pid)', async () => {
    const dir = join(home, 'state', 'local', 'functions', 'recycled');
    await mkdir(join(dir, 'runs', 'r1'), { recursive: true });
    // A look-alike: its command line names the processor entry and a --config in the function's folder.
    const lookAlike = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', PROCESSOR_MAIN, '--config', join(dir, 'runs', 'r1', 'function.json')], { stdio: 'ignore' });
    try {
      await waitFor(() => (readFileSyncSafe(`/proc/${lookAlike.pid}/cmdline`).includes('--config') ? true : undefined));
      const startTime = Number(readFileSync(`/proc/${lookAlike.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]);
      const plant = (recordedStart: number) => writeFile(join(dir, 'status.json'), JSON.stringify({
        name: 'recycled', pid: lookAlike.pid, startTime: recordedStart, processorEntry: PROCESSOR_MAIN, httpPort: 1, adminPort: 1, functionDir: home,
        createdAt: new Date().toISOString(), runtime: 'nodejs', handler: 'main:handler', runDir: join(dir, 'runs', 'r1'),
      }));
      await plant(startTime + 1);
      expect((await status('recycled')).state).toBe('stopped');
      expect((await nucleon(['delete', 'recycled'])).code).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
      expect(lookAlike.exitCode).toBeNull();
      expect(lookAlike.signalCode).toBeNull();

      // The same record with the true start time is taken for the function's own process.
      await mkdir(dir, { recursive: true });
      await plant(startTime);
      expect((await nucleon(['delete', 'recycled'])).code).toBe(0);
      await waitFor(() => (lookAlike.signalCode !== null ? true : undefined), 15_000);
      expect(lookAlike.signalCode).toBe('SIGTERM');
    } finally {
      lookAlike.kill('SIGKILL');
    }
  }, 60_000);
});

function readFileSyncSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
