import { describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import { containerSpec, type ContainerSpecInput } from './container-spec.js';
import { LABELS, readLabels } from './labels.js';
import { resolveSettings } from './settings.js';

function input(spec: Record<string, unknown> = {}): ContainerSpecInput {
  const { config } = validateFunctionConfig({
    metadata: { name: 'echo' },
    spec: { runtime: 'nodejs', handler: 'main:handler', image: 'fn:1', env: [{ name: 'MARKER', value: 'a=b' }], ...spec },
  });
  return {
    config, image: 'fn:1', name: 'nucleon-echo.next', httpPort: 41001, adminPort: 41002,
    hasHttpTrigger: true, createdAt: '2026-01-02T03:04:05.000Z', staleAfter: '2026-01-02T03:06:05.000Z',
  };
}

describe('containerSpec', () => {
  it('labels the container with everything get/list need after a CLI restart', () => {
    const spec = containerSpec(input(), resolveSettings());
    expect(spec.name).toBe('nucleon-echo.next');
    expect(spec.Image).toBe('fn:1');
    expect(spec.Labels).toMatchObject({
      [LABELS.function]: 'echo', [LABELS.runtime]: 'nodejs', [LABELS.handler]: 'main:handler',
      [LABELS.httpPort]: '41001', [LABELS.adminPort]: '41002', [LABELS.createdAt]: '2026-01-02T03:04:05.000Z',
      [LABELS.image]: 'fn:1',
    });
    const labels = readLabels(spec.Labels);
    expect(labels).toMatchObject({ name: 'echo', httpPort: 41001, adminPort: 41002, hasHttpTrigger: true });
    expect(labels?.config?.spec.env).toEqual([{ name: 'MARKER', value: 'a=b' }]);
  });

  it('passes spec.env and the processor ports, bound to loopback on the host network', () => {
    const spec = containerSpec(input(), resolveSettings());
    expect(spec.Env).toEqual([
      'MARKER=a=b', 'NUCLEON_HTTP_PORT=41001', 'NUCLEON_HTTP_HOST=127.0.0.1', 'NUCLEON_HTTP_DEFAULT_HOST=127.0.0.1', 'NUCLEON_ADMIN_PORT=41002', 'NUCLEON_ADMIN_HOST=127.0.0.1',
    ]);
    expect(spec.HostConfig?.NetworkMode).toBe('host');
    expect(spec.HostConfig?.PortBindings).toBeUndefined();
    expect(spec.ExposedPorts).toBeUndefined();
  });

  it('asks a scale-to-zero function\'s processor for SO_REUSEPORT (the activator may hold its port), and no other', () => {
    expect(containerSpec(input({ minReplicas: 0 }), resolveSettings()).Env).toContain('NUCLEON_HTTP_REUSE_PORT=1');
    expect(containerSpec(input({ minReplicas: 1 }), resolveSettings()).Env?.some((e) => e.startsWith('NUCLEON_HTTP_REUSE_PORT='))).toBe(false);
  });

  it('records the restart policy in a label, for the wake from zero to restore it', () => {
    expect(readLabels(containerSpec(input(), resolveSettings({ restartPolicy: 'always' })).Labels)?.restartPolicy).toBe('always');
  });

  it('runs Docker\'s init above the processor by default (a PID 1 ignores SIGKILL from inside), unless turned off', () => {
    expect(containerSpec(input(), resolveSettings()).HostConfig?.Init).toBe(true);
    expect(containerSpec(input(), resolveSettings({ init: false })).HostConfig?.Init).toBe(false);
  });

  it('restarts unless stopped by default, or as the settings say', () => {
    expect(containerSpec(input(), resolveSettings()).HostConfig?.RestartPolicy).toEqual({ Name: 'unless-stopped' });
    expect(containerSpec(input(), resolveSettings({ restartPolicy: 'no' })).HostConfig?.RestartPolicy).toEqual({ Name: 'no' });
  });

  it('health-checks /ready on the admin port with node (images have no curl)', () => {
    const check = containerSpec(input(), resolveSettings()).Healthcheck;
    expect(check?.Test?.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(check?.Test?.[3]).toContain("port:41002,path:'/ready'");
    expect(check?.Interval).toBeGreaterThan(0);
    expect(containerSpec(input(), resolveSettings({ healthCheck: false })).Healthcheck).toBeUndefined();
  });

  it('turns Nuclio resource quantities into Docker limits', () => {
    const spec = containerSpec(input({ resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { memory: '64Mi' } } }), resolveSettings());
    expect(spec.HostConfig).toMatchObject({ NanoCpus: 500_000_000, Memory: 268_435_456, MemoryReservation: 67_108_864 });
    expect(containerSpec(input({ resources: { limits: { cpu: '2' } } }), resolveSettings()).HostConfig?.NanoCpus).toBe(2e9);
    const none = containerSpec(input(), resolveSettings()).HostConfig;
    expect(none?.NanoCpus).toBeUndefined();
    expect(none?.Memory).toBeUndefined();
    expect(none?.DeviceRequests).toBeUndefined();
  });

  it('asks for GPUs as `docker run --gpus N` does', () => {
    const spec = containerSpec(input({ resources: { limits: { 'nvidia.com/gpu': 2 } } }), resolveSettings());
    expect(spec.HostConfig?.DeviceRequests).toEqual([{ Driver: '', Count: 2, Capabilities: [['gpu']] }]);
  });

  it('in bridge mode publishes fixed container ports on free 127.0.0.1 host ports', () => {
    const spec = containerSpec(input(), resolveSettings({ network: 'bridge' }));
    expect(spec.HostConfig?.NetworkMode).toBe('bridge');
    expect(spec.ExposedPorts).toEqual({ '8080/tcp': {}, '8082/tcp': {} });
    expect(spec.HostConfig?.PortBindings).toEqual({
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '41001' }],
      '8082/tcp': [{ HostIp: '127.0.0.1', HostPort: '41002' }],
    });
    // Inside the container the processor must listen beyond its own loopback to be published.
    expect(spec.Env).toContain('NUCLEON_HTTP_HOST=0.0.0.0');
    expect(spec.Env).toContain('NUCLEON_ADMIN_PORT=8082');
    expect(spec.Healthcheck?.Test?.[3]).toContain('port:8082');
    // The labels keep the host ports, which is where callers reach the function.
    expect(readLabels(spec.Labels)).toMatchObject({ httpPort: 41001, adminPort: 41002 });
  });

  it('in bridge mode also publishes the other HTTP triggers\' container ports on 127.0.0.1 host ports', () => {
    const spec = containerSpec({ ...input(), extraPorts: [{ containerPort: 9000, hostPort: 41003 }] }, resolveSettings({ network: 'bridge' }));
    expect(spec.ExposedPorts).toEqual({ '8080/tcp': {}, '8082/tcp': {}, '9000/tcp': {} });
    expect(spec.HostConfig?.PortBindings?.['9000/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '41003' }]);
  });

  it('on the host network the other HTTP triggers default to 127.0.0.1 too', () => {
    const spec = containerSpec(input(), resolveSettings());
    expect(spec.Env).toContain('NUCLEON_HTTP_DEFAULT_HOST=127.0.0.1');
    expect(spec.HostConfig?.PortBindings).toBeUndefined();
  });
});
