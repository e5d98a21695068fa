import { describe, expect, it } from 'vitest';
import { parseControllerFlags } from './controller-flags.js';

describe('parseControllerFlags', () => {
  it('defaults: namespace nucleon, leader election on, 5 min resync, metrics on 8094', () => {
    expect(parseControllerFlags([], {})).toEqual({
      namespace: 'nucleon', kubeconfig: undefined, identity: undefined, resyncMs: 300_000, concurrency: 2, metricsPort: 8094, leaderElect: true,
    });
  });

  it('reads flags, and the namespace from NUCLEON_CONTROLLER_NAMESPACE', () => {
    expect(parseControllerFlags(['--no-leader-elect', '--resync', '30', '--metrics-port', '0', '--kubeconfig', '/k'], { NUCLEON_CONTROLLER_NAMESPACE: '*' }))
      .toMatchObject({ namespace: '*', leaderElect: false, resyncMs: 30_000, metricsPort: 0, kubeconfig: '/k' });
    expect(parseControllerFlags(['--namespace', 'a'], { NUCLEON_CONTROLLER_NAMESPACE: 'b' }).namespace).toBe('a');
  });

  it('refuses unknown flags and bad numbers with NUCLEON_ERR_USAGE', () => {
    expect(() => parseControllerFlags(['--bogus'], {})).toThrow(expect.objectContaining({ code: 'NUCLEON_ERR_USAGE' }));
    expect(() => parseControllerFlags(['--concurrency', '0'], {})).toThrow(/--concurrency must be a whole number >= 1/);
  });
});
