import { describe, expect, it } from 'vitest';
import { isNucleonError } from '@nucleon/core';
import { resolveSettings, resolveStateDir } from './settings.js';

describe('resolveStateDir', () => {
  it('uses $NUCLEON_HOME/local when NUCLEON_HOME is set', () => {
    expect(resolveStateDir({ NUCLEON_HOME: '/srv/nh', XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/srv/nh/local');
  });

  it('falls back to $XDG_STATE_HOME/nucleon/local', () => {
    expect(resolveStateDir({ XDG_STATE_HOME: '/x/state' }, '/home/u')).toBe('/x/state/nucleon/local');
  });

  it('falls back to ~/.local/state/nucleon/local, ignoring a relative XDG_STATE_HOME', () => {
    expect(resolveStateDir({}, '/home/u')).toBe('/home/u/.local/state/nucleon/local');
    expect(resolveStateDir({ XDG_STATE_HOME: 'rel' }, '/home/u')).toBe('/home/u/.local/state/nucleon/local');
  });
});

describe('resolveSettings', () => {
  it('applies defaults', () => {
    const s = resolveSettings({ processorEntry: '/opt/p/main.js' }, { NUCLEON_HOME: '/nh' });
    expect(s).toEqual({ processorEntry: '/opt/p/main.js', stateDir: '/nh/local', nodePath: process.execPath, pluginPaths: [] });
  });

  it('refuses a missing or relative processorEntry and bad pluginPaths with one coded error', () => {
    let error: unknown;
    try {
      resolveSettings({ processorEntry: 'main.js', pluginPaths: 'a:b' });
    } catch (err) {
      error = err;
    }
    expect(isNucleonError(error, 'NUCLEON_ERR_INVALID_CONFIG')).toBe(true);
    expect(String((error as Error).message)).toMatch(/processorEntry[\s\S]*pluginPaths/);
  });
});
