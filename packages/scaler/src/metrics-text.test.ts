import { describe, expect, it } from 'vitest';
import { sumMetric } from './metrics-text.js';

const TEXT = `# HELP nucleon_events_total Events handled
# TYPE nucleon_events_total counter
nucleon_events_total{trigger="web",result="success"} 12
nucleon_events_total{trigger="web",result="error"} 3
nucleon_events_total{trigger="odd name",result="a } b"} 1 1700000000000
nucleon_events_in_flight 2
nucleon_events_total_extra 100
`;

describe('sumMetric', () => {
  it('sums every label set of a metric, labels with braces and spaces included', () => {
    expect(sumMetric(TEXT, 'nucleon_events_total')).toBe(16);
    expect(sumMetric(TEXT, 'nucleon_events')).toBe(16);
    expect(sumMetric(TEXT, 'nucleon_events_in_flight')).toBe(2);
  });

  it('is undefined for a metric that is not there, and ignores values that are not numbers', () => {
    expect(sumMetric(TEXT, 'nope')).toBeUndefined();
    expect(sumMetric('x{a="1"} NaN-ish\n', 'x')).toBeUndefined();
  });
});
