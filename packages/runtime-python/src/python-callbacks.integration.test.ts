import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionDir, pythonYaml, startProcessor } from './test-support/processor-harness.js';

// Nuclio's SDK names: context.platform.set_drain_callback / set_termination_callback.
const CALLBACKS = `
import os

def init_context(context):
    def on_drain():
        with open('drained-{0}.txt'.format(context.worker_id), 'w') as f:
            f.write('drain ran in pid {0}'.format(os.getpid()))
        context.logger.info_with('drain callback ran', callback='drain')
    def on_termination():
        with open('terminated-{0}.txt'.format(context.worker_id), 'w') as f:
            f.write('termination ran in pid {0}'.format(os.getpid()))
    context.platform.set_drain_callback(on_drain)
    context.platform.set_termination_callback(on_termination)

{kind} handler(context, event):
    return str(os.getpid())
`;

describe('Python runtime: drain and termination callbacks when the processor stops', () => {
  it.each(['def', 'async def'])('runs both callbacks of every worker (%s handler) on SIGTERM, then exits 0', async (kind) => {
    const dir = functionDir({ 'function.yaml': pythonYaml({ numWorkers: 2 }), 'main.py': CALLBACKS.replaceAll('{kind}', kind) });
    const p = await startProcessor(dir);
    const res = await fetch(p.url);
    const pid = await res.text();
    expect(res.status).toBe(200);
    expect(existsSync(join(dir, 'drained-0.txt'))).toBe(false);

    expect(await p.stop('SIGTERM')).toBe(0);
    for (const worker of [0, 1]) {
      expect(readFileSync(join(dir, `drained-${worker}.txt`), 'utf8')).toMatch(/^drain ran in pid \d+$/);
      expect(readFileSync(join(dir, `terminated-${worker}.txt`), 'utf8')).toMatch(/^termination ran in pid \d+$/);
    }
    const pids = [0, 1].map((w) => readFileSync(join(dir, `terminated-${w}.txt`), 'utf8').split(' ').pop());
    expect(pids).toContain(pid);
    // The callback's own log line reaches the processor's log, tagged with its worker.
    const drainLogs = p.logLines().filter((line) => line.msg === 'drain callback ran');
    expect(drainLogs.map((line) => line.worker).sort()).toEqual([0, 1]);
  });
});
