import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNucleon } from './test-helpers/cli-process.js';

// Names that are not function names never reach a path or a process, a status.json that
// names someone else's pid never gets that pid signalled, and other local users cannot read
// a function's state (its spec.env holds secrets).
let home: string;
let env: NodeJS.ProcessEnv;
let victim: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-hostile-'));
  env = { ...process.env, NUCLEON_HOME: join(home, 'state') };
  victim = join(home, 'victim');
  await mkdir(victim, { recursive: true });
  await writeFile(join(victim, 'status.json'), JSON.stringify({ name: 'x', pid: 1, processorEntry: 'x' }));
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe('hostile function names and planted state', () => {
  it('refuses a traversal name in get, delete, logs, invoke and export (exit 2) and touches nothing', async () => {
    // From <state>/local/functions/<name>, "../../../victim" is the victim folder.
    const traversal = '../../../victim';
    for (const args of [['delete', traversal], ['delete', 'function', traversal], ['get', 'function', traversal],
      ['logs', traversal], ['invoke', traversal], ['export', 'function', traversal], ['get', 'Bad.Name']]) {
      const result = await runNucleon(args, { cwd: home, env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/is not a function name: use lowercase letters, digits and "-"/);
    }
    expect(existsSync(join(victim, 'status.json'))).toBe(true);
  });

  it('does not signal a pid planted in a status.json, and forgets the planted function', async () => {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const dir = join(home, 'state', 'local', 'functions', 'planted');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'status.json'), JSON.stringify({
        name: 'planted', pid: sleeper.pid, processorEntry: 'sleep', httpPort: 1, adminPort: 1, functionDir: home,
        createdAt: new Date().toISOString(), runtime: 'nodejs', handler: 'main:handler',
      }));
      const get = await runNucleon(['get', 'function', 'planted', '-o', 'json'], { cwd: home, env });
      expect(JSON.parse(get.stdout).status.state).toBe('stopped');
      const deleted = await runNucleon(['delete', 'planted'], { cwd: home, env });
      expect(deleted.code).toBe(0);
      expect(sleeper.exitCode).toBeNull();
      expect(sleeper.signalCode).toBeNull();
      expect(existsSync(dir)).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  // Reading as another user needs root to switch to `nobody` (CI runs as root).
  it.skipIf(process.getuid?.() !== 0)('keeps spec.env secrets from other local users, even with NUCLEON_HOME in a shared folder', async () => {
    await chmod(home, 0o755); // the parent of NUCLEON_HOME is world-readable, as /srv or /opt would be
    await mkdir(join(home, 'code'), { recursive: true });
    await writeFile(join(home, 'code', 'main.js'), 'exports.handler = () => "ok";\n');
    const deploy = await runNucleon(['deploy', 'secretive', '-p', join(home, 'code', 'main.js'), '-e', 'API_TOKEN=hunter2'], { cwd: home, env });
    expect(deploy.code, deploy.stderr).toBe(0);
    try {
      const dir = join(home, 'state', 'local', 'functions', 'secretive');
      for (const file of ['function.json', 'status.json', 'processor.log']) {
        const asNobody = spawnSync('runuser', ['-u', 'nobody', '--', 'cat', join(dir, file)], { encoding: 'utf8' });
        expect(asNobody.status, file).not.toBe(0);
        expect(asNobody.stdout).not.toContain('hunter2');
        expect(asNobody.stderr).toMatch(/Permission denied/);
      }
      // The owner still reads it.
      expect((await runNucleon(['export', 'function', 'secretive', '-o', 'json'], { cwd: home, env })).stdout).toContain('hunter2');
    } finally {
      await runNucleon(['delete', 'secretive'], { cwd: home, env });
    }
  });
});
