import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Every TCP socket `pid` listens on, as "address:port" sorted, read from /proc (IPv4 as
 * dotted quads; IPv6 as `::`, `::1` or the raw hex in brackets). For tests that check where a
 * processor's listeners really are, whatever it reports about itself.
 */
export function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target = '';
    try { target = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { /* closed meanwhile */ }
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) inodes.add(m[1]!);
  }
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9]!)) continue; // 0A: LISTEN
      const [hex, port] = cols[1]!.split(':');
      found.push(`${table === 'tcp' ? ipv4(hex!) : ipv6(hex!)}:${parseInt(port!, 16)}`);
    }
  }
  return found.sort();
}

function ipv4(hex: string): string {
  return hex.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.');
}

function ipv6(hex: string): string {
  if (hex === '00000000000000000000000000000000') return '::';
  if (hex === '00000000000000000000000001000000') return '::1';
  return `[${hex}]`;
}
