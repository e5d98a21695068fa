import { describe, expect, it } from 'vitest';
import { checkRegistryFlags, functionImageReference, registries } from './registry.js';

describe('registries', () => {
  it('defaults to the local registry, then NUCLEON_REGISTRY, then the flags; --run-registry defaults to --registry', () => {
    expect(registries({}, {})).toEqual({ push: '127.0.0.1:5000', run: '127.0.0.1:5000' });
    expect(registries({}, { NUCLEON_REGISTRY: 'reg.local:5000/' })).toEqual({ push: 'reg.local:5000', run: 'reg.local:5000' });
    expect(registries({ registry: 'a:1', runRegistry: 'b:2' }, { NUCLEON_REGISTRY: 'c' })).toEqual({ push: 'a:1', run: 'b:2' });
  });

  it('tags by the image id so the reference changes when the image does', () => {
    expect(functionImageReference('127.0.0.1:5000', 'echo', 'sha256:0123456789abcdef0123')).toBe('127.0.0.1:5000/nucleon/echo:0123456789ab');
  });

  it('refuses registry flags off the kube platform', () => {
    expect(() => checkRegistryFlags({ registry: 'x' }, 'docker')).toThrow(/--registry is for --platform kube/);
    expect(() => checkRegistryFlags({ registry: 'x', runRegistry: 'y' }, 'kube')).not.toThrow();
  });
});
