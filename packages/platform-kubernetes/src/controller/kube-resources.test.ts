import { describe, expect, it } from 'vitest';
import { apiVersionOf, collectionPath, DEPLOYMENTS, FUNCTIONS, PODS } from './kube-resources.js';

describe('collectionPath', () => {
  it('builds core and group paths, namespaced or across all namespaces', () => {
    expect(collectionPath(PODS, 'ns')).toBe('/api/v1/namespaces/ns/pods');
    expect(collectionPath(DEPLOYMENTS, '*')).toBe('/apis/apps/v1/deployments');
    expect(collectionPath(FUNCTIONS, 'team')).toBe('/apis/nuclio.io/v1beta1/namespaces/team/nucliofunctions');
    expect(apiVersionOf(PODS)).toBe('v1');
    expect(apiVersionOf(FUNCTIONS)).toBe('nuclio.io/v1beta1');
  });
});
