// BENCH_PROFILE=1: runs each server under `node --cpu-prof` for one wrk run and prints where
// its CPU time goes (by area and by function, self time). Profiles stay in bench/results/.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { startServer, stopServer, waitFor200, warm } from './proc.mjs';
import { REPO_ROOT } from './servers.mjs';
import { runWrk } from './wrk.mjs';
import { perfNodeFlags, perfAvailable, perfRecord, perfReport, removePerfMap } from './perf.mjs';

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

function shortUrl(url) {
  if (!url) return '';
  let u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf(`${sep}node_modules${sep}`);
  if (nm >= 0) return u.slice(nm + 14);
  if (u.startsWith(REPO_ROOT + sep)) u = u.slice(REPO_ROOT.length + 1);
  return u;
}

export function area(frame) {
  const { functionName: fn, url } = frame;
  if (SPECIAL.has(fn)) return fn;
  if (!url) return '(native: V8 builtins / C++)';
  if (url.startsWith('node:')) return 'node core';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf(`${sep}node_modules${sep}`);
  if (nm >= 0) {
    const rest = u.slice(nm + 14).split(sep);
    return `npm: ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const pk = /packages\/([^/]+)\//.exec(u);
  if (pk) return `nucleon: ${pk[1]}`;
  return `app: ${shortUrl(url)}`;
}

/**
 * Self time per function and per area from a .cpuprofile object, in ms. Only samples taken
 * within [fromUs, toUs] count: profile timestamps are CLOCK_MONOTONIC microseconds, the same
 * clock as process.hrtime, so the window can leave start-up and shutdown out.
 */
export function summarize(profile, { fromUs = -Infinity, toUs = Infinity } = {}) {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < fromUs || t > toUs) continue;
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const byFn = new Map();
  const byArea = new Map();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const f = frames.get(id);
    totalUs += us;
    if (f.functionName === '(idle)') { idleUs += us; continue; }
    const key = SPECIAL.has(f.functionName) || !f.url
      ? (f.functionName || '(anonymous)')
      : `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const a = area(f);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / busyUs }));
  const functions = sorted(byFn);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: busyUs / 1000,
    areas: sorted(byArea),
    functions,
    // JavaScript only (a script url and a line): where a framework's own code spends its time
    jsFunctions: functions.filter((f) => / \S+:\d+$/.test(f.name)),
  };
}

const row = (f) => `| \`${f.name.replaceAll('|', '\\|')}\` | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |`;

function render(label, file, s, top = 20) {
  const lines = [
    `### ${label}`,
    '',
    `profile: ${file} — busy ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms sampled (idle ${((100 * s.idleMs) / s.totalMs).toFixed(1)}%)`,
    '',
    '| area | self ms | % of busy |',
    '| --- | ---: | ---: |',
    ...s.areas.map((a) => `| ${a.name} | ${a.ms.toFixed(0)} | ${a.pct.toFixed(1)} |`),
    '',
    `| top ${top} entries, self time (native entries such as writeUtf8String include the socket write syscall) | self ms | % of busy |`,
    '| --- | ---: | ---: |',
    ...s.functions.slice(0, top).map(row),
    '',
    `| top ${top} JavaScript functions, self time | self ms | % of busy |`,
    '| --- | ---: | ---: |',
    ...s.jsFunctions.slice(0, top).map(row),
  ];
  return lines.join('\n');
}

export async function profileServers(servers, config, { log, portsFor, started }) {
  const root = join(REPO_ROOT, 'bench', 'results', `http-profile-${started.toISOString().replace(/[:.]/g, '-')}`);
  const out = [
    `## CPU profiles under wrk -t${config.threads} -c${config.connections} -d${config.durationS}s (node --cpu-prof, self time, samples during the wrk run only)`,
    '',
    'The profiler slows every server down; compare shares, not req/s, between these and the main table.',
    '',
  ];
  const summary = {};
  for (const spec of servers) {
    if (spec.available && !spec.available()) { out.push(`### ${spec.label}`, '', 'not built, skipped', ''); continue; }
    const dir = join(root, spec.name);
    mkdirSync(dir, { recursive: true });
    const h = startServer(spec, await portsFor(spec), { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    let wrk;
    const loadWindow = {};
    try {
      await waitFor200(h);
      await warm(h.ports.http, config.warmRequests);
      loadWindow.fromUs = Number(process.hrtime.bigint() / 1000n);
      wrk = await runWrk(h.ports.http, { threads: config.threads, connections: config.connections, seconds: config.durationS });
      loadWindow.toUs = Number(process.hrtime.bigint() / 1000n);
    } finally {
      const exit = await stopServer(h, 10_000); // the profile is written while the process exits
      log(`${spec.name}: exit ${JSON.stringify(exit)}`);
    }
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
    if (files.length === 0) {
      out.push(`### ${spec.label}`, '', `no profile written (the server did not exit cleanly on SIGTERM; exit ${JSON.stringify(h.exit)})`, '');
      continue;
    }
    for (const f of files) {
      const s = summarize(JSON.parse(readFileSync(join(dir, f), 'utf8')), loadWindow);
      summary[`${spec.name}/${f}`] = { reqPerSec: wrk.reqPerSec, ...s, functions: s.functions.slice(0, 50), jsFunctions: s.jsFunctions.slice(0, 50) };
      out.push(render(`${spec.label} — ${Math.round(wrk.reqPerSec)} req/s under the profiler${files.length > 1 ? ` (${f})` : ''}`, join(dir, f).slice(REPO_ROOT.length + 1), s), '');
    }
  }
  if (process.env.BENCH_PERF !== '0' && (await perfAvailable())) {
    out.push(...(await perfAll(servers, config, { log, portsFor, root, summary })));
  } else {
    out.push('(Linux perf not available or BENCH_PERF=0: no whole-process breakdown.)', '');
  }
  process.stdout.write(`${out.join('\n')}\n`);
  writeFileSync(join(root, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  log(`profiles and summary.json: ${root}`);
}

/** Second pass: each server under `perf record` (all threads, kernel included) during wrk. */
async function perfAll(servers, config, { log, portsFor, root, summary }) {
  const out = [
    `## Whole-process breakdown under wrk (Linux perf, all threads, kernel included, -d${config.durationS}s)`,
    '',
    'Share of the server process\'s CPU samples by area. Kernel time is mostly the loopback TCP stack the',
    'socket reads and writes run through; it is the floor every server pays.',
    '',
  ];
  const rows = [];
  for (const spec of servers) {
    if (spec.available && !spec.available()) continue;
    mkdirSync(join(root, spec.name), { recursive: true });
    const h = startServer(spec, await portsFor(spec), { nodeFlags: perfNodeFlags(join(root, spec.name)) });
    const file = join(root, spec.name, 'perf.data');
    let wrk;
    try {
      await waitFor200(h);
      await warm(h.ports.http, config.warmRequests);
      [, wrk] = await Promise.all([
        perfRecord(h.pid, config.durationS, file),
        runWrk(h.ports.http, { threads: config.threads, connections: config.connections, seconds: config.durationS }),
      ]);
    } finally {
      await stopServer(h);
    }
    try {
      const rep = await perfReport(file);
      rows.push({ spec, wrk, rep });
      summary[`${spec.name}/perf`] = { reqPerSec: wrk.reqPerSec, areas: rep.areas, symbols: rep.symbols.slice(0, 60) };
      log(`${spec.name}: perf done`);
    } finally {
      removePerfMap(h.pid);
    }
  }
  if (rows.length === 0) return out;
  const names = [...new Set(rows.flatMap((r) => r.rep.areas.filter((a) => a.pct >= 0.5).map((a) => a.name)))];
  const pctOf = (r, n) => r.rep.areas.find((a) => a.name === n)?.pct ?? 0;
  names.sort((a, b) => Math.max(...rows.map((r) => pctOf(r, b))) - Math.max(...rows.map((r) => pctOf(r, a))));
  out.push(`| area (% of samples) | ${rows.map((r) => r.spec.label).join(' | ')} |`, `| --- |${rows.map(() => ' ---: |').join('')}`);
  for (const n of names) out.push(`| ${n} | ${rows.map((r) => pctOf(r, n).toFixed(1)).join(' | ')} |`);
  out.push(`| req/s under perf | ${rows.map((r) => Math.round(r.wrk.reqPerSec)).join(' | ')} |`, '');
  for (const r of rows.filter((x) => x.spec.name !== 'bare')) {
    const own = r.rep.symbols.filter((x) => !x.area.startsWith('kernel')).slice(0, 15);
    out.push(`### ${r.spec.label}: top user-space symbols (perf)`, '', '| % | area | symbol |', '| ---: | --- | --- |');
    out.push(...own.map((x) => `| ${x.pct.toFixed(2)} | ${x.area} | \`${x.sym.replaceAll('|', '\\|').slice(0, 140)}\` |`), '');
  }
  return out;
}
