// STAND-IN for Helper B's module of the same name; replaced by B's file at merge.
import type { FunctionConfig } from '@nucleon/core';
import type { NuclioFunctionResource } from './resource.js';

export interface FunctionPorts { http: number; admin: number }

export function choosePorts(resource: NuclioFunctionResource, _config: FunctionConfig, taken: ReadonlySet<number>): FunctionPorts {
  const { httpPort, adminPort } = resource.status ?? {};
  if (httpPort && adminPort) return { http: httpPort, admin: adminPort };
  for (let port = 30000; port < 32767; port += 2) {
    if (!taken.has(port) && !taken.has(port + 1)) return { http: port, admin: port + 1 };
  }
  throw new Error('no free port pair in 30000-32767');
}

export function portsInUse(resources: readonly NuclioFunctionResource[], exceptUid?: string): Set<number> {
  const ports = new Set<number>();
  for (const r of resources) {
    if (r.metadata.uid === exceptUid) continue;
    if (r.status?.httpPort) ports.add(r.status.httpPort);
    if (r.status?.adminPort) ports.add(r.status.adminPort);
  }
  return ports;
}
