// Parses the text that `wrk --latency` prints (wrk 4.x) into numbers.
// Times come back in milliseconds, sizes in bytes; a field wrk did not print is null.

const TIME_UNITS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const METRIC_UNITS = { '': 1, k: 1e3, M: 1e6, G: 1e9 };
const BINARY_UNITS = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** "467.00us" -> 0.467 (ms) */
export function parseTime(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: unreadable time "${text}"`);
  return Number(m[1]) * TIME_UNITS[m[2]];
}

/** "96.62k" -> 96620 */
export function parseMetric(text) {
  const m = /^([\d.]+)([kMG]?)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: unreadable number "${text}"`);
  return Number(m[1]) * METRIC_UNITS[m[2]];
}

/** "13.97MB" -> bytes */
export function parseBytes(text) {
  const m = /^([\d.]+)(B|KB|MB|GB|TB)$/.exec(text.trim());
  if (!m) throw new Error(`wrk: unreadable size "${text}"`);
  return Number(m[1]) * BINARY_UNITS[m[2]];
}

export function parseWrk(output) {
  const line = (re) => re.exec(output);
  const result = {
    threads: null,
    connections: null,
    requests: null,
    durationMs: null,
    bytesRead: null,
    reqPerSec: null,
    transferPerSec: null,
    latency: { avgMs: null, stdevMs: null, maxMs: null, p50Ms: null, p75Ms: null, p90Ms: null, p99Ms: null },
    socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
    non2xx3xx: 0,
  };

  const tc = line(/^\s*(\d+) threads and (\d+) connections/m);
  if (tc) { result.threads = Number(tc[1]); result.connections = Number(tc[2]); }

  const lat = line(/^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+/m);
  if (lat) {
    result.latency.avgMs = parseTime(lat[1]);
    result.latency.stdevMs = parseTime(lat[2]);
    result.latency.maxMs = parseTime(lat[3]);
  }

  const dist = output.split(/^\s*Latency Distribution\s*$/m)[1];
  if (dist) {
    for (const m of dist.matchAll(/^\s*(50|75|90|99)%\s+(\S+)\s*$/gm)) {
      result.latency[`p${m[1]}Ms`] = parseTime(m[2]);
    }
  }

  const total = line(/^\s*(\d+) requests in (\S+), (\S+) read/m);
  if (total) {
    result.requests = Number(total[1]);
    result.durationMs = parseTime(total[2]);
    result.bytesRead = parseBytes(total[3]);
  }

  const se = line(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  if (se) {
    result.socketErrors = { connect: Number(se[1]), read: Number(se[2]), write: Number(se[3]), timeout: Number(se[4]) };
  }

  const bad = line(/Non-2xx or 3xx responses: (\d+)/);
  if (bad) result.non2xx3xx = Number(bad[1]);

  const rps = line(/^Requests\/sec:\s+([\d.]+)/m);
  if (rps) result.reqPerSec = Number(rps[1]);

  const tps = line(/^Transfer\/sec:\s+(\S+)/m);
  if (tps) result.transferPerSec = parseBytes(tps[1]);

  if (result.reqPerSec === null || result.requests === null) {
    throw new Error(`wrk: no "Requests/sec" in output:\n${output}`);
  }
  return result;
}

/** true when wrk saw no socket errors and no non-2xx/3xx responses */
export function isClean(r) {
  const e = r.socketErrors;
  return r.non2xx3xx === 0 && e.connect + e.read + e.write + e.timeout === 0;
}
