import { readdirSync, readFileSync } from 'node:fs';

/** The memory page size Linux reports RSS in (x86-64 and arm64 defaults). */
const PAGE_BYTES = 4096;

/** A process of a group and its resident memory. */
export interface GroupMember {
  pid: number;
  rssBytes: number;
}

/** One line of /proc/<pid>/stat: its parent, group and resident memory. */
interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  rssBytes: number;
}

function readAll(procRoot: string): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [];
  }
  const all: ProcStat[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`${procRoot}/${entry}/stat`, 'utf8');
    } catch {
      continue; // Exited meanwhile.
    }
    // Fields after the command name: state(3) ppid(4) pgrp(5) ... rss(24).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    all.push({ pid: Number(entry), ppid: Number(fields[1]), pgrp: Number(fields[2]), rssBytes: Number(fields[21]) * PAGE_BYTES });
  }
  return all;
}

/** Every descendant of `pid` (children, their children, ...), read from /proc. Empty without /proc. */
export function descendants(pid: number, procRoot = '/proc'): number[] {
  const all = readAll(procRoot);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of all) {
      if (p.ppid === parent && !found.includes(p.pid)) {
        found.push(p.pid);
        queue.push(p.pid);
      }
    }
  }
  return found;
}

/**
 * The processes of process group `pgid` but `exclude` (the supervisor itself), read from
 * /proc: the processor and every runtime wrapper it started. Empty without /proc.
 */
export function groupMembers(pgid: number, exclude: number, procRoot = '/proc'): GroupMember[] {
  return readAll(procRoot).filter((p) => p.pgrp === pgid && p.pid !== exclude).map(({ pid, rssBytes }) => ({ pid, rssBytes }));
}
