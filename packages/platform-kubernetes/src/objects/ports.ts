import { createHash } from 'node:crypto';
import { createError, ErrorCodes, type FunctionConfig } from '@nucleon/core';
import type { NuclioFunctionResource } from './resource.js';

/** The processor's two ports on the node: pods use the host network, so each function has its own. */
export interface FunctionPorts {
  http: number;
  admin: number;
}

/** Kubernetes' NodePort range: ports a cluster's operators already keep free for services. */
export const PORT_RANGE = { first: 30000, last: 32767 } as const;

/**
 * The ports of a function: the HTTP trigger's `attributes.port` when set (not 0); else the
 * ports recorded in its status (so they never change under running pods and clients); else
 * the first free port from a starting point derived from the function's namespace and name
 * (so two functions created at once rarely probe the same ports). The admin port follows the
 * same rule. Throws NUCLEON_ERR_NO_FREE_PORT when the range is full.
 */
export function choosePorts(resource: NuclioFunctionResource, config: FunctionConfig | undefined,
  taken: ReadonlySet<number>): FunctionPorts {
  const fixedHttp = config ? fixedHttpPort(config.spec.triggers) : fixedHttpPortOfSpec(resource.spec);
  const recorded = resource.status;
  const used = new Set(taken);
  const keep = (port: number | undefined): port is number => port !== undefined && inRange(port) && !used.has(port);
  const http = fixedHttp ?? (keep(recorded?.httpPort) ? recorded.httpPort : undefined);
  if (http !== undefined) used.add(http);
  const admin = keep(recorded?.adminPort) && recorded.adminPort !== http ? recorded.adminPort : undefined;
  if (admin !== undefined) used.add(admin);
  const key = `${resource.metadata.namespace ?? ''}/${resource.metadata.name ?? ''}`;
  const httpPort = http ?? freePort(key, used);
  used.add(httpPort);
  return { http: httpPort, admin: admin ?? freePort(`${key}#admin`, used) };
}

/**
 * Every port the given functions hold on the node: their recorded status ports and their HTTP
 * triggers' fixed ports, leaving out the function with `exceptUid` (the one being placed).
 */
export function portsInUse(resources: Iterable<NuclioFunctionResource>, exceptUid?: string): Set<number> {
  const ports = new Set<number>();
  for (const resource of resources) {
    if (exceptUid !== undefined && resource.metadata.uid === exceptUid) continue;
    for (const port of [resource.status?.httpPort, resource.status?.adminPort, fixedHttpPortOfSpec(resource.spec)]) {
      if (typeof port === 'number') ports.add(port);
    }
  }
  return ports;
}

function inRange(port: number): boolean {
  return Number.isInteger(port) && port >= PORT_RANGE.first && port <= PORT_RANGE.last;
}

function freePort(key: string, used: ReadonlySet<number>): number {
  const size = PORT_RANGE.last - PORT_RANGE.first + 1;
  const start = createHash('sha256').update(key).digest().readUInt32BE(0) % size;
  // Bounded: one pass over the range.
  for (let i = 0; i < size; i++) {
    const port = PORT_RANGE.first + ((start + i) % size);
    if (!used.has(port)) return port;
  }
  throw createError(ErrorCodes.NO_FREE_PORT,
    `no free port in ${PORT_RANGE.first}-${PORT_RANGE.last} for function ${key}: the other functions hold them all`);
}

/** The first HTTP trigger's `attributes.port` when it names a port (0 means "any": not fixed). */
function fixedHttpPort(triggers: Record<string, { kind?: unknown; attributes?: unknown }>): number | undefined {
  for (const trigger of Object.values(triggers)) {
    if (trigger?.kind !== 'http') continue;
    const port = (trigger.attributes as Record<string, unknown> | undefined)?.port;
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
  }
  return undefined;
}

function fixedHttpPortOfSpec(spec: Record<string, unknown> | undefined): number | undefined {
  const triggers = spec?.triggers;
  if (triggers === null || typeof triggers !== 'object' || Array.isArray(triggers)) return undefined;
  return fixedHttpPort(triggers as Record<string, { kind?: unknown; attributes?: unknown }>);
}
