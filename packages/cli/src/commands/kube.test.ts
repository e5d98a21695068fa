import { DEFAULT_NAMESPACE } from '@nucleon/platform-kubernetes';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KUBE_NAMESPACE } from './kube.js';

describe('nucleon kube', () => {
  it('defaults to the platform\'s namespace (kept as a literal so the CLI starts without loading the Kubernetes client)', () => {
    expect(DEFAULT_KUBE_NAMESPACE).toBe(DEFAULT_NAMESPACE);
  });
});
