// Turns the summary of a run into the markdown table and the goal check.

export const GOALS = {
  reqPerSecVsBare: 0.9, // Nucleon req/s >= 0.9x bare
  p99VsBare: 1.3, // Nucleon p99 <= 1.3x bare
  coldStartMs: 300, // spawn -> first 200
  idleRssOverBareMb: 40, // idle RSS <= bare + 40 MB
};

export const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

/** A number with `d` decimals and thousands separators; '-' for a missing (null, NaN) value. */
export const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : '-');

const fmtInt = (n) => (n == null ? '-' : Math.round(n).toLocaleString('en-US'));
const fmtMs = (n) => (n == null ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const fmtX = (n) => (n == null || !Number.isFinite(n) ? '-' : `${n.toFixed(2)}x`);
const fmtMb = (n) => (n == null ? '-' : n.toFixed(1));
const fmtDelta = (n) => (n == null ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(1)}`);

/** rows: [{name, label, reqPerSec, p50Ms, p99Ms, idleRssMb, coldStartMs, error}] ; first is bare */
export function table(rows) {
  const bare = rows.find((r) => r.name === 'bare');
  const ratio = (a, b) => (a == null || b == null || b === 0 ? null : a / b);
  const lines = [
    '| server | req/s | ×bare | p50 ms | ×bare | p99 ms | ×bare | idle RSS MB | Δbare MB | cold start ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const x = (r, field) => r.vsBare?.[field] ?? ratio(r[field], bare?.[field]);
  for (const r of rows) {
    if (r.error) {
      lines.push(`| ${r.label} | failed: ${r.error.split('\n')[0].slice(0, 120)} | | | | | | | | |`);
      continue;
    }
    lines.push(`| ${r.label} | ${fmtInt(r.reqPerSec)} | ${fmtX(x(r, 'reqPerSec'))} | ${fmtMs(r.p50Ms)} | ${fmtX(x(r, 'p50Ms'))} | ${fmtMs(r.p99Ms)} | ${fmtX(x(r, 'p99Ms'))} | ${fmtMb(r.idleRssMb)} | ${fmtDelta(r.idleRssMb == null || bare?.idleRssMb == null ? null : r.idleRssMb - bare.idleRssMb)} | ${fmtMs(r.coldStartMs)} |`);
  }
  return lines.join('\n');
}

/** Goal checks for Nucleon against the baselines of the same run: [{goal, value, target, result}] */
export function goalChecks(rows, peers, noiseLimitPct = 25) {
  const bare = rows.find((r) => r.name === 'bare');
  const nuc = rows.find((r) => r.name === 'nucleon');
  const checks = [];
  const ok = (b) => (b ? 'PASS' : 'MISS');
  if (!nuc || nuc.error || !bare || bare.error) {
    const why = !nuc ? 'Nucleon not run' : nuc.error ? 'Nucleon failed' : 'no bare baseline';
    for (const goal of ['req/s >= 0.9x bare', 'p99 <= 1.3x bare', 'req/s ahead of every peer', 'cold start <= 300 ms', 'idle RSS <= bare + 40 MB']) {
      checks.push({ goal, value: '-', target: '-', result: `SKIP (${why})` });
    }
    return checks;
  }
  const vs = (r, field) => r.vsBare?.[field] ?? r[field] / bare[field];
  const rps = vs(nuc, 'reqPerSec');
  checks.push({ goal: 'req/s >= 0.9x bare', value: fmtX(rps), target: `>= ${GOALS.reqPerSecVsBare.toFixed(2)}x`, result: ok(rps >= GOALS.reqPerSecVsBare) });
  const p99 = vs(nuc, 'p99Ms');
  checks.push({ goal: 'p99 <= 1.3x bare', value: `${fmtX(p99)} (${fmtMs(nuc.p99Ms)} vs ${fmtMs(bare.p99Ms)} ms)`, target: `<= ${GOALS.p99VsBare.toFixed(2)}x`, result: ok(p99 <= GOALS.p99VsBare) });
  const ran = rows.filter((r) => peers.includes(r.name) && !r.error);
  const best = ran.reduce((a, b) => (vs(b, 'reqPerSec') > (a ? vs(a, 'reqPerSec') : -1) ? b : a), null);
  if (!best) {
    checks.push({ goal: 'req/s ahead of every peer', value: '-', target: '-', result: 'SKIP (no peer ran)' });
  } else {
    const missing = peers.filter((p) => !ran.some((r) => r.name === p));
    checks.push({
      goal: 'req/s ahead of every peer',
      value: `${fmtInt(nuc.reqPerSec)} vs best peer ${best.label} ${fmtInt(best.reqPerSec)} (${fmtX(vs(nuc, 'reqPerSec') / vs(best, 'reqPerSec'))})${missing.length ? `; not run: ${missing.join(', ')}` : ''}`,
      target: '> every peer',
      result: ok(vs(nuc, 'reqPerSec') > vs(best, 'reqPerSec')),
    });
  }
  checks.push({ goal: 'cold start <= 300 ms', value: `${fmtMs(nuc.coldStartMs)} ms (median)`, target: `<= ${GOALS.coldStartMs} ms`, result: ok(nuc.coldStartMs <= GOALS.coldStartMs) });
  const d = nuc.idleRssMb - bare.idleRssMb;
  checks.push({ goal: 'idle RSS <= bare + 40 MB', value: `${fmtMb(nuc.idleRssMb)} MB (${fmtDelta(d)} MB)`, target: `<= bare + ${GOALS.idleRssOverBareMb} MB`, result: ok(d <= GOALS.idleRssOverBareMb) });
  // Throughput and latency ratios are only as good as the quiet of the machine during the runs.
  const flag = (check, involved) => {
    const noisy = involved.filter((r) => r.otherCpuPct != null && r.otherCpuPct > noiseLimitPct);
    if (noisy.length) check.result += ` (noisy run: ${noisy.map((r) => r.label).join(', ')})`;
  };
  flag(checks[0], [bare, nuc]);
  flag(checks[1], [bare, nuc]);
  if (best) flag(checks[2], [nuc, ...ran]);
  if (nuc.cpuUsPerRequest != null && bare.cpuUsPerRequest) {
    checks.push({
      goal: '(info) server CPU per request vs bare',
      value: `${fmtX(vs(nuc, 'cpuUsPerRequest'))} (${nuc.cpuUsPerRequest.toFixed(1)} vs ${bare.cpuUsPerRequest.toFixed(1)} µs)`,
      target: 'none; less noise-sensitive than req/s',
      result: '-',
    });
  }
  return checks;
}

export function goalTable(checks) {
  return [
    '| goal | Nucleon | target | result |',
    '| --- | --- | --- | --- |',
    ...checks.map((c) => `| ${c.goal} | ${c.value} | ${c.target} | ${c.result} |`),
  ].join('\n');
}
