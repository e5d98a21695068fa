import { describe, expect, it } from 'vitest';
import { resolveSettings } from './settings.js';

describe('resolveSettings', () => {
  it('defaults to host networking, unless-stopped, a 10 s stop grace, a health check and an init process', () => {
    expect(resolveSettings()).toEqual({ network: 'host', restartPolicy: 'unless-stopped', stopTimeoutSeconds: 10, healthCheck: true, init: true });
  });

  it('reports every bad setting at once as INVALID_CONFIG', () => {
    const error = (() => {
      try {
        return resolveSettings({ network: 'overlay', restartPolicy: 'sometimes', stopTimeoutSeconds: -1, healthCheck: 'yes', socketPath: 3, init: 'no' });
      } catch (err) {
        return err;
      }
    })() as Error & { code?: string };
    expect(error.code).toBe('NUCLEON_ERR_INVALID_CONFIG');
    for (const key of ['network', 'restartPolicy', 'stopTimeoutSeconds', 'healthCheck', 'socketPath', 'init']) expect(error.message).toContain(`settings.${key}`);
  });
});
