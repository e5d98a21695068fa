import type { ContainerCreateOptions } from 'dockerode';
import { cpuCores, HTTP_REUSE_PORT_ENV, memoryBytes, scaleToZeroPolicy, type FunctionConfig } from '@nucleon/core';
import { labelsFor } from './labels.js';
import type { ResolvedSettings } from './settings.js';

/** Ports the processor binds inside the container in bridge mode (published on host ports). */
export const BRIDGE_HTTP_PORT = 8080;
export const BRIDGE_ADMIN_PORT = 8082;

/** What {@link containerSpec} needs besides the settings. */
export interface ContainerSpecInput {
  config: FunctionConfig;
  image: string;
  /** The container name to create (the candidate name during a deploy). */
  name: string;
  /** Host ports: the processor's own ports in host mode, the published ones in bridge mode. */
  httpPort: number;
  adminPort: number;
  hasHttpTrigger: boolean;
  /**
   * Bridge mode: the other HTTP triggers' container ports and the free host ports they are
   * published on (127.0.0.1), so every trigger is reachable from the host and only there.
   */
  extraPorts?: ReadonlyArray<{ containerPort: number; hostPort: number }>;
  createdAt: string;
  /** After this time a leftover candidate container counts as abandoned. */
  staleAfter: string;
}

/** The Engine API create-container request for one function; pure, so unit tests can pin it. */
export function containerSpec(input: ContainerSpecInput, settings: ResolvedSettings): ContainerCreateOptions {
  const { config, image } = input;
  const bridge = settings.network === 'bridge';
  // In bridge mode 127.0.0.1 inside the container is unreachable from the host, so the
  // processor binds all of the container's interfaces and Docker publishes on host loopback.
  const inner = bridge
    ? { httpPort: BRIDGE_HTTP_PORT, adminPort: BRIDGE_ADMIN_PORT, host: '0.0.0.0' }
    : { httpPort: input.httpPort, adminPort: input.adminPort, host: '127.0.0.1' };
  const env = [
    ...config.spec.env.map(({ name, value }) => `${name}=${value}`),
    `NUCLEON_HTTP_PORT=${inner.httpPort}`,
    `NUCLEON_HTTP_HOST=${inner.host}`,
    `NUCLEON_HTTP_DEFAULT_HOST=${inner.host}`,
    `NUCLEON_ADMIN_PORT=${inner.adminPort}`,
    `NUCLEON_ADMIN_HOST=${inner.host}`,
    // On the host network the scaler's activator holds the function's port while it is at zero;
    // SO_REUSEPORT lets the waking processor bind beside it (same uid), so no connection is refused.
    ...(scaleToZeroPolicy(config) === undefined ? [] : [`${HTTP_REUSE_PORT_ENV}=1`]),
  ];
  const spec: ContainerCreateOptions = {
    name: input.name,
    Image: image,
    Env: env,
    Labels: labelsFor({
      name: config.metadata.name,
      runtime: config.spec.runtime,
      handler: config.spec.handler,
      httpPort: input.httpPort,
      adminPort: input.adminPort,
      createdAt: input.createdAt,
      image,
      hasHttpTrigger: input.hasHttpTrigger,
      config,
      staleAfter: input.staleAfter,
      restartPolicy: settings.restartPolicy,
    }),
    StopSignal: 'SIGTERM',
    StopTimeout: settings.stopTimeoutSeconds,
    HostConfig: {
      NetworkMode: bridge ? 'bridge' : 'host',
      RestartPolicy: { Name: settings.restartPolicy },
      Init: settings.init,
      ...resourceLimits(config),
    },
  };
  if (settings.healthCheck) spec.Healthcheck = healthCheck(inner.adminPort);
  if (bridge) {
    const published: Array<[number, number]> = [
      [BRIDGE_HTTP_PORT, input.httpPort], [BRIDGE_ADMIN_PORT, input.adminPort],
      ...(input.extraPorts ?? []).map((p): [number, number] => [p.containerPort, p.hostPort]),
    ];
    spec.ExposedPorts = Object.fromEntries(published.map(([inside]) => [`${inside}/tcp`, {}]));
    spec.HostConfig!.PortBindings = Object.fromEntries(published.map(([inside, host]) =>
      [`${inside}/tcp`, [{ HostIp: '127.0.0.1', HostPort: String(host) }]]));
  }
  return spec;
}

/** Nuclio's `spec.resources` as Docker limits; `nvidia.com/gpu: N` is `docker run --gpus N`. */
export function resourceLimits(config: FunctionConfig): NonNullable<ContainerCreateOptions['HostConfig']> {
  const { limits, requests } = config.spec.resources;
  const host: NonNullable<ContainerCreateOptions['HostConfig']> = {};
  if (typeof limits.cpu === 'string') host.NanoCpus = Math.round(cpuCores(limits.cpu) * 1e9);
  if (typeof limits.memory === 'string') host.Memory = Math.round(memoryBytes(limits.memory));
  if (typeof requests.memory === 'string') host.MemoryReservation = Math.round(memoryBytes(requests.memory));
  const gpus = Number(limits['nvidia.com/gpu'] ?? 0);
  if (Number.isInteger(gpus) && gpus > 0) {
    host.DeviceRequests = [{ Driver: '', Count: gpus, Capabilities: [['gpu']] }];
  }
  return host;
}

/**
 * A Docker HEALTHCHECK against the processor's `/ready`. Function images carry node but no
 * curl, so node itself does the request; exit 0 on 200, else 1.
 */
export function healthCheck(adminPort: number): NonNullable<ContainerCreateOptions['Healthcheck']> {
  const script = `require('http').get({host:'127.0.0.1',port:${adminPort},path:'/ready',timeout:2000},` +
    `(r)=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))`;
  return {
    Test: ['CMD', 'node', '-e', script],
    Interval: 10e9,
    Timeout: 5e9,
    Retries: 3,
    StartPeriod: 60e9,
  };
}
