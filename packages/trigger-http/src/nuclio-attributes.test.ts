import { describe, expect, it } from 'vitest';
import { validateAttributes } from '@nucleon/core';
import { httpAttributes } from './index.js';

describe("HTTP trigger: Nuclio's documented attributes", () => {
  it('accepts those it does not act on (readBufferSize, reduceMemoryUsage, serviceType) with one warning each, ingresses silently', () => {
    const { warnings } = validateAttributes('spec.triggers.web', '@nucleon/trigger-http', httpAttributes, {
      port: 32001, maxRequestBodySize: 1024, cors: { enabled: true },
      ingresses: { main: { host: 'fn.example', paths: ['/'] } }, readBufferSize: 16384, reduceMemoryUsage: true, serviceType: 'NodePort',
    });
    expect(warnings.map((w) => w.path)).toEqual(['readBufferSize', 'reduceMemoryUsage', 'serviceType'].map((a) => `spec.triggers.web.attributes.${a}`));
  });

  it('refuses ingresses that are not a mapping', () => {
    expect(() => validateAttributes('spec.triggers.web', '@nucleon/trigger-http', httpAttributes, { ingresses: ['fn.example'] }))
      .toThrow(/spec\.triggers\.web\.attributes\.ingresses: expected a mapping, got a list/);
  });
});
