/**
 * Reads a Prometheus text exposition (what a processor's admin server answers on `/metrics`):
 * the sum of every sample of `name` (all label sets), or undefined when the metric is absent.
 * A counter named `x` is also found as `x_total`, the suffix Prometheus adds.
 */
export function sumMetric(text: string, name: string): number | undefined {
  const names = name.endsWith('_total') ? [name] : [name, `${name}_total`];
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const nameEnd = sampleNameEnd(line);
    if (!names.includes(line.slice(0, nameEnd))) continue;
    const value = sampleValue(line, nameEnd);
    if (value !== undefined) sum = (sum ?? 0) + value;
  }
  return sum;
}

function sampleNameEnd(line: string): number {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  if (brace === -1) return space === -1 ? line.length : space;
  return space === -1 ? brace : Math.min(brace, space);
}

/** The value after the labels (which may hold spaces and braces inside quotes), before any timestamp. */
function sampleValue(line: string, nameEnd: number): number | undefined {
  let i = nameEnd;
  if (line[i] === '{') {
    let quoted = false;
    for (i += 1; i < line.length; i++) {
      const c = line[i];
      if (c === '\\' && quoted) i += 1;
      else if (c === '"') quoted = !quoted;
      else if (c === '}' && !quoted) break;
    }
    i += 1;
  }
  const [value] = line.slice(i).trim().split(/\s+/);
  const n = Number(value);
  return value === undefined || value === '' || Number.isNaN(n) ? undefined : n;
}
