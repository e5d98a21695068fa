import { readdirSync, readFileSync } from 'node:fs';

/** The memory page size Linux reports RSS in (x86-64 and arm64 defaults). */
const PAGE_BYTES = 4096;

/** A process of a group and its resident memory. */
export interface GroupMember {
  pid: number;
  rssBytes: number;
}

/**
 * The processes of process group `pgid` but `exclude` (the supervisor itself), read from
 * /proc: the processor and every runtime wrapper it started. Empty without /proc.
 */
export function groupMembers(pgid: number, exclude: number, procRoot = '/proc'): GroupMember[] {
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [];
  }
  const members: GroupMember[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === exclude) continue;
    let stat: string;
    try {
      stat = readFileSync(`${procRoot}/${entry}/stat`, 'utf8');
    } catch {
      continue; // Exited meanwhile.
    }
    // Fields after the command name: state(3) ppid(4) pgrp(5) ... rss(24).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    members.push({ pid, rssBytes: Number(fields[21]) * PAGE_BYTES });
  }
  return members;
}
