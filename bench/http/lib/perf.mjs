// Linux `perf` view of a server under load: every thread of the process, kernel included, so it
// shows what --cpu-prof cannot (the loopback TCP stack, GC threads, llhttp, V8 builtins).
// JavaScript frames are named through node --perf-basic-prof (a /tmp/perf-<pid>.map file).
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

/** node flags for a perf run; --perf-basic-prof also turns on V8's log, sent to `dir` (not the cwd). */
export const perfNodeFlags = (dir) => ['--perf-basic-prof-only-functions', '--no-logfile-per-isolate', `--logfile=${dir}/v8.log`];

export function perfAvailable() {
  return new Promise((resolve) => {
    execFile('perf', ['--version'], { timeout: 5000 }, (err) => resolve(!err));
  });
}

/** Samples every thread of pid for `seconds` (perf stops by itself). */
export function perfRecord(pid, seconds, file) {
  const child = spawn('perf', ['record', '-F', '999', '-p', String(pid), '-o', file, '--', 'sleep', String(seconds)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c) => { err += c; });
  const backstop = setTimeout(() => child.kill('SIGKILL'), (seconds + 20) * 1000);
  return new Promise((resolve, reject) => child.once('exit', (code) => {
    clearTimeout(backstop);
    if (code === 0) resolve(); else reject(new Error(`perf record exited ${code}: ${err.slice(-500)}`));
  }));
}

export function jsArea(sym) {
  const m = / (\S+):\d+:\d+$/.exec(sym);
  if (!m) return 'JS: other';
  const url = m[1];
  if (url.startsWith('node:')) return 'JS: node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 14).split('/');
    return `JS: npm ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const pk = /packages\/([^/]+)\//.exec(url);
  if (pk) return `JS: nucleon ${pk[1]}`;
  return 'JS: app';
}

const GC = /Heap|Scaveng|MarkCompact|Marking|Sweep|Evacuat|GarbageCollect|Minor|Concurrent|Worklist|ObjectVisitor|RememberedSet|ReadOnlySpace|PagedSpace|NewSpace|Allocat/;

export function perfArea(dso, sym) {
  if (dso.includes('kernel')) return 'kernel (syscalls, loopback TCP)';
  if (dso.startsWith('[JIT]') || dso.startsWith('perf-')) return sym.startsWith('JS:') ? jsArea(sym) : 'V8 generated code (stubs, regexps)';
  if (dso === 'node') {
    if (sym.startsWith('Builtins_')) return 'V8 builtins (ICs, interpreter)';
    if (sym.startsWith('llhttp')) return 'llhttp (HTTP parser)';
    if (GC.test(sym)) return 'V8 GC and allocation';
    return 'node/V8/libuv C++ (other)';
  }
  if (/^libc|^ld-linux|^libstdc|^libm/.test(dso)) return 'libc / libstdc++';
  return dso;
}

/** Parses `perf report --stdio --no-children --sort dso,sym -g none` into areas and top symbols. */
export function parsePerfReport(text) {
  const areas = new Map();
  const symbols = [];
  for (const line of text.split('\n')) {
    const m = /^\s+([\d.]+)%\s+(.+?)\s+\[([.kgu])\]\s+(.*?)\s*$/.exec(line);
    if (!m) continue;
    const pct = Number(m[1]);
    const dso = m[2].trim();
    const sym = m[4];
    const area = perfArea(dso, sym);
    areas.set(area, (areas.get(area) ?? 0) + pct);
    symbols.push({ pct, dso, sym, area });
  }
  return { areas: [...areas].sort((a, b) => b[1] - a[1]).map(([name, pct]) => ({ name, pct })), symbols };
}

export function perfReport(file) {
  return new Promise((resolve, reject) => {
    execFile('perf', ['report', '-i', file, '--stdio', '--no-children', '--sort', 'dso,sym', '-g', 'none', '--percent-limit', '0.05'],
      { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) return reject(new Error(`perf report: ${err.message}\n${stderr.slice(-500)}`));
        resolve(parsePerfReport(stdout));
      });
  });
}

/** The JIT symbol map node wrote for one of our server pids. */
export function removePerfMap(pid) {
  rmSync(`/tmp/perf-${pid}.map`, { force: true });
}
