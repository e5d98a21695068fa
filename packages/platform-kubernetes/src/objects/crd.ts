import { loadYaml, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { functionSpecSchema, type JsonSchema } from '@nucleon/core';
import { NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_KIND, NUCLIO_PLURAL } from './resource.js';

/** `nucliofunctions.nuclio.io`, Nuclio's own CRD name. */
export const NUCLIO_CRD_NAME = `${NUCLIO_PLURAL}.${NUCLIO_API_GROUP}`;

const PRESERVE = { 'x-kubernetes-preserve-unknown-fields': true } as const;
const text: JsonSchema = { type: 'string' };
const integer: JsonSchema = { type: 'integer' };

/**
 * The status the controller writes. Nuclio writes more (logs, containerImage, ...) and more
 * states (imported, waitingForResourceConfiguration, ...): unknown fields are kept and `state`
 * is a plain string, so a status written by Nuclio is never refused.
 */
const statusSchema: JsonSchema = {
  type: 'object',
  properties: {
    state: { type: 'string', description: 'building, ready, error, unhealthy, scaledToZero or waitingForScaleResourcesToZero' },
    message: text,
    conditions: {
      type: 'array',
      items: {
        type: 'object',
        properties: { type: text, status: text, reason: text, message: text, lastTransitionTime: text },
        ...PRESERVE,
      },
    },
    httpPort: integer,
    adminPort: integer,
    internalInvocationUrls: { type: 'array', items: text },
    externalInvocationUrls: { type: 'array', items: text },
    replicas: integer,
    readyReplicas: integer,
    observedGeneration: integer,
  },
  ...PRESERVE,
};

/**
 * The NuclioFunction CRD as a manifest (the API's JSON names, `x-kubernetes-...` included):
 * what `kubectl apply` and the install manifests take. Nuclio's group, version, kind, plural
 * and `nuclio` category, so Nuclio users' resources and tools keep working; the spec is
 * checked by core's `functionSpecSchema` (the API server refuses a wrong type naming the
 * field), the status is a subresource (only the controller writes it).
 */
export function nuclioFunctionCrdManifest(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: NUCLIO_CRD_NAME, labels: { 'app.kubernetes.io/managed-by': 'nucleon' } },
    spec: {
      group: NUCLIO_API_GROUP,
      scope: 'Namespaced',
      names: {
        plural: NUCLIO_PLURAL, singular: 'nucliofunction', kind: NUCLIO_KIND, listKind: `${NUCLIO_KIND}List`,
        shortNames: ['nufn'], categories: ['nuclio'],
      },
      versions: [{
        name: NUCLIO_API_VERSION,
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'State', type: 'string', jsonPath: '.status.state' },
          { name: 'URL', type: 'string', jsonPath: '.status.internalInvocationUrls[0]' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: text,
              kind: text,
              metadata: { type: 'object' },
              spec: structuredClone(functionSpecSchema),
              status: statusSchema,
            },
          },
        },
      }],
    },
  };
}

/**
 * The same CRD as `@kubernetes/client-node`'s model, for its typed API
 * (`createCustomResourceDefinition({ body })`): the model spells `x-kubernetes-...` fields in
 * its own way, so the manifest goes through the client's own deserializer.
 */
export function nuclioFunctionCrd(): V1CustomResourceDefinition {
  return loadYaml<V1CustomResourceDefinition>(JSON.stringify(nuclioFunctionCrdManifest()));
}
