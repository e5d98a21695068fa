import { describe, expect, it } from 'vitest';
import { supervisorLimits } from './supervisor-options.js';

describe('supervisorLimits', () => {
  it('has defaults', () => {
    expect(supervisorLimits({})).toEqual({
      logMaxBytes: 10 * 1024 * 1024, logFiles: 3, logLineMaxBytes: 16 * 1024, logIdleFlushMs: 500,
      backoff: { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 }, memoryPollMs: 250,
    });
  });

  it('reads each NUCLEON_LOCAL_* variable', () => {
    expect(supervisorLimits({ NUCLEON_LOCAL_LOG_MAX_BYTES: '2048', NUCLEON_LOCAL_LOG_FILES: '0', NUCLEON_LOCAL_RESTART_MAX_MS: '5000' }))
      .toMatchObject({ logMaxBytes: 2048, logFiles: 0, backoff: { maxMs: 5000 } });
  });

  it('refuses values that are not whole numbers in range, all at once', () => {
    expect(() => supervisorLimits({ NUCLEON_LOCAL_LOG_MAX_BYTES: '10MB', NUCLEON_LOCAL_MEMORY_POLL_MS: '1' })).toThrow(expect.objectContaining({
      code: 'NUCLEON_ERR_INVALID_CONFIG',
      message: expect.stringMatching(/NUCLEON_LOCAL_LOG_MAX_BYTES="10MB" must be a whole number >= 1024\n {2}- NUCLEON_LOCAL_MEMORY_POLL_MS="1"/),
    }));
  });
});
