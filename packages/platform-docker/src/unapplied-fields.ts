import { kubernetesOnlyPaths, scaleToZeroPolicy, type ConfigProblem, type FunctionConfig } from '@nucleon/core';
import { httpTriggers, publishableExtraPorts, DEFAULT_HTTP_PORT } from './http-triggers.js';

const NOT_APPLIED = 'not applied by the docker platform';
/** Resources {@link resourceLimits} turns into Docker limits; any other is reported. */
const APPLIED_RESOURCES = { limits: new Set(['cpu', 'memory', 'nvidia.com/gpu']), requests: new Set(['memory']) };

/**
 * The fields of a validated config the Docker platform accepts but does not act on: one
 * container per function, its first HTTP trigger on a free loopback port, Docker's limits
 * only where Docker has one. The other HTTP triggers keep their `port` and `host` (on the
 * host network, the default host is 127.0.0.1); in bridge mode one Docker cannot publish
 * (port 0, or a host other than all interfaces) is reported. Scale to zero (`minReplicas: 0`,
 * `spec.scaleToZero`) is applied: the scaler decides, `scale` stops and starts the container.
 */
export function dockerUnappliedFields(config: FunctionConfig, network: 'host' | 'bridge' = 'host'): ConfigProblem[] {
  const { spec } = config;
  const problems: ConfigProblem[] = [];
  const add = (path: string, why = NOT_APPLIED): void => {
    problems.push({ path, message: why });
  };
  if (spec.replicas !== undefined && spec.replicas !== 1) add('spec.replicas', `${NOT_APPLIED} (it runs one container)`);
  if (spec.minReplicas !== undefined && spec.minReplicas > 1) add('spec.minReplicas', `${NOT_APPLIED} (it runs one container)`);
  if (spec.maxReplicas !== undefined && spec.maxReplicas > 1) add('spec.maxReplicas', `${NOT_APPLIED} (it runs one container)`);
  // Without minReplicas: 0 nothing scales to zero, so scaleToZero's windows would be ignored.
  if (spec.scaleToZero !== undefined && scaleToZeroPolicy(config) === undefined) add('spec.scaleToZero', `${NOT_APPLIED} without spec.minReplicas: 0`);
  if (network === 'bridge' && scaleToZeroPolicy(config) !== undefined) {
    add('spec.minReplicas', 'scale to zero in bridge mode: connections to the function are refused while its container starts (Docker binds the port itself, it cannot share it with the activator); use network: host for a wake without refusals');
  }
  for (const kind of ['limits', 'requests'] as const) {
    for (const resource of Object.keys(spec.resources[kind])) {
      if (!APPLIED_RESOURCES[kind].has(resource)) add(`spec.resources.${kind}.${resource}`, `${NOT_APPLIED} (Docker has no such ${kind === 'requests' ? 'request' : 'limit'})`);
    }
  }
  const publishable = new Set(publishableExtraPorts(config));
  for (const trigger of httpTriggers(config)) {
    const path = `spec.triggers.${trigger.name}`;
    if (trigger.first) {
      for (const attribute of ['port', 'host'] as const) {
        if (trigger[attribute] !== undefined) add(`${path}.attributes.${attribute}`, `${NOT_APPLIED} (it publishes a free port on 127.0.0.1)`);
      }
    } else if (network === 'bridge' && !publishable.has(trigger.port ?? DEFAULT_HTTP_PORT)) {
      const attribute = trigger.port === 0 ? 'port' : 'host';
      add(`${path}.attributes.${attribute}`, `not reachable from the host in bridge mode: Docker publishes only a fixed port on all of the container's interfaces`);
    }
  }
  for (const [name, trigger] of Object.entries(spec.triggers)) {
    if (trigger.kind === 'http' && trigger.url !== undefined) add(`spec.triggers.${name}.url`, NOT_APPLIED);
  }
  for (const path of kubernetesOnlyPaths(config)) add(path, `${NOT_APPLIED} (Kubernetes only)`);
  return problems;
}
