import { validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import {
  FUNCTION_NAME_LABEL, MANAGED_BY, MANAGED_BY_LABEL, NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_KIND, type NuclioFunctionResource,
} from '../objects/resource.js';
import { withoutMark } from '../objects/scale-to-zero-mark.js';

/** The labels the platform puts on every NuclioFunction it applies (and selects pods by). */
export function platformLabels(name: string): Record<string, string> {
  return { [FUNCTION_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
}

/** The label selector of a function's pods (the controller copies the name label onto them). */
export function podSelector(name: string): string {
  return `${FUNCTION_NAME_LABEL}=${name}`;
}

/**
 * The NuclioFunction for a validated configuration: its spec is the configuration's spec as
 * a user would write it (without what validation derives, `eventTimeoutMs`), so the resource
 * reads back, exports and re-applies unchanged. `previous` (the resource now in the cluster)
 * gives the resourceVersion a replace must name.
 */
export function functionResource(config: FunctionConfig, namespace: string, previous?: NuclioFunctionResource): NuclioFunctionResource {
  const name = config.metadata.name;
  const spec: Record<string, unknown> = { ...config.spec };
  delete spec.eventTimeoutMs;
  return {
    apiVersion: `${NUCLIO_API_GROUP}/${NUCLIO_API_VERSION}`,
    kind: NUCLIO_KIND,
    metadata: {
      name,
      namespace,
      labels: { ...config.metadata.labels, ...platformLabels(name) },
      // Never the scaled-to-zero mark: a deploy runs the function (and the scaler idles it again).
      ...(Object.keys(withoutMark(config.metadata.annotations)).length > 0 ? { annotations: withoutMark(config.metadata.annotations) } : {}),
      ...(previous?.metadata.resourceVersion ? { resourceVersion: previous.metadata.resourceVersion } : {}),
    },
    spec: JSON.parse(JSON.stringify(spec)) as Record<string, unknown>,
  };
}

/**
 * The configuration a NuclioFunction holds, validated as a function.yaml is (so defaults fill
 * in), without the labels the platform added. Undefined when the spec no longer validates
 * (someone edited the resource by hand); `get` still reports its status then.
 */
export function configOfResource(resource: NuclioFunctionResource): FunctionConfig | undefined {
  const labels = { ...resource.metadata.labels };
  for (const key of Object.keys(platformLabels(''))) delete labels[key];
  const raw = {
    apiVersion: 'nuclio.io/v1',
    kind: 'NuclioFunction',
    metadata: {
      name: resource.metadata.name, namespace: resource.metadata.namespace, labels,
      // The scaler's mark is the platform's state, not the user's configuration.
      annotations: withoutMark(resource.metadata.annotations),
    },
    spec: resource.spec,
  };
  try {
    return validateFunctionConfig(raw).config;
  } catch {
    return undefined;
  }
}
