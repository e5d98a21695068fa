import { describe, expect, it } from 'vitest';
import { buildTimeoutMs, DEFAULT_BUILD_TIMEOUT_MS } from './go-runtime-spec.js';
import { defaultCacheRoot } from './go-build.js';

describe('build settings', () => {
  it('bounds a build by five minutes unless NUCLEON_GO_BUILD_TIMEOUT says otherwise', () => {
    expect(buildTimeoutMs({})).toBe(DEFAULT_BUILD_TIMEOUT_MS);
    expect(buildTimeoutMs({ NUCLEON_GO_BUILD_TIMEOUT: '10m' })).toBe(600_000);
    expect(() => buildTimeoutMs({ NUCLEON_GO_BUILD_TIMEOUT: 'soon' })).toThrow(/NUCLEON_GO_BUILD_TIMEOUT/);
  });

  it('caches builds under XDG_CACHE_HOME, or NUCLEON_GO_CACHE_DIR', () => {
    expect(defaultCacheRoot({ XDG_CACHE_HOME: '/c' })).toBe('/c/nucleon/go');
    expect(defaultCacheRoot({ NUCLEON_GO_CACHE_DIR: '/x', XDG_CACHE_HOME: '/c' })).toBe('/x');
    expect(defaultCacheRoot({ HOME: '/h' })).toMatch(/\.cache\/nucleon\/go$/);
  });
});
