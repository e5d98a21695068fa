import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { descendants, groupMembers } from './process-group.js';

let proc: string;
/** A fake /proc entry: pid, command name, parent, group, RSS in pages. */
async function entry(pid: number, comm: string, ppid: number, pgrp: number, rssPages: number): Promise<void> {
  await mkdir(join(proc, String(pid)), { recursive: true });
  const after = ['S', ppid, pgrp, ...Array.from({ length: 18 }, () => 0), rssPages, 0];
  await writeFile(join(proc, String(pid), 'stat'), `${pid} (${comm}) ${after.join(' ')}\n`);
}

beforeEach(async () => {
  proc = await mkdtemp(join(tmpdir(), 'nucleon-proc-'));
  await entry(10, 'supervisor', 1, 10, 100);
  await entry(11, 'node (processor)', 10, 10, 1000);
  await entry(12, 'python3', 11, 10, 500);
  await entry(13, 'other', 1, 13, 9999);
  await entry(14, 'sh', 13, 13, 1);
  await mkdir(join(proc, 'self'));
});
afterEach(() => rm(proc, { recursive: true, force: true }));

describe('process-group', () => {
  it("sums a group's members without the supervisor, in bytes", () => {
    const members = groupMembers(10, 10, proc).sort((a, b) => a.pid - b.pid);
    expect(members).toEqual([{ pid: 11, rssBytes: 1000 * 4096 }, { pid: 12, rssBytes: 500 * 4096 }]);
  });

  it('finds every descendant of a process, and only those', () => {
    expect(descendants(10, proc).sort()).toEqual([11, 12]);
    expect(descendants(13, proc)).toEqual([14]);
    expect(descendants(12, proc)).toEqual([]);
  });
});
