import type { ContainerInspectInfo } from 'dockerode';
import type { TriggerAddress } from '@nucleon/core';
import { httpTriggers } from './http-triggers.js';
import type { FunctionLabels } from './labels.js';

/**
 * The reported addresses as a client on the host reaches them. On the host network they are
 * the host's own. In bridge mode the processor reports ports inside the container: each
 * becomes the host address Docker publishes it on, and one Docker does not publish is left
 * out (nothing on the host reaches it; `unappliedFields` warned at deploy).
 */
export function reachableAddresses(reported: readonly TriggerAddress[], info: ContainerInspectInfo): TriggerAddress[] {
  if (info.HostConfig?.NetworkMode !== 'bridge') return [...reported];
  const ports = info.NetworkSettings?.Ports ?? {};
  const found: TriggerAddress[] = [];
  for (const address of reported) {
    const url = new URL(address.url);
    const binding = ports[`${url.port}/tcp`]?.find((b) => b.HostPort);
    if (!binding) continue;
    found.push({ ...address, url: `${url.protocol}//${binding.HostIp || '127.0.0.1'}:${binding.HostPort}` });
  }
  return found;
}

/** When the processor cannot be asked: the one address the labels record, the first HTTP trigger's. */
export function recordedAddresses(labels: FunctionLabels): TriggerAddress[] {
  if (!labels.hasHttpTrigger) return [];
  const first = labels.config ? httpTriggers(labels.config)[0]?.name : undefined;
  return [{ trigger: first ?? 'default-http', kind: 'http', url: `http://127.0.0.1:${labels.httpPort}` }];
}
