// STAND-IN for Helper B's module of the same name: a CRD without the generated schema
// (spec and status preserve unknown fields); replaced by B's file at merge.
import type { V1CustomResourceDefinition } from '@kubernetes/client-node';
import { NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_KIND, NUCLIO_PLURAL } from './resource.js';

/** The CRD as a manifest (the API's JSON names). */
export function nuclioFunctionCrdManifest(): Record<string, unknown> {
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${NUCLIO_PLURAL}.${NUCLIO_API_GROUP}` },
    spec: {
      group: NUCLIO_API_GROUP,
      scope: 'Namespaced',
      names: { plural: NUCLIO_PLURAL, singular: 'nucliofunction', kind: NUCLIO_KIND, shortNames: ['nufn'] },
      versions: [{
        name: NUCLIO_API_VERSION, served: true, storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: open, status: open } } },
      }],
    },
  };
}

export function nuclioFunctionCrd(): V1CustomResourceDefinition {
  return nuclioFunctionCrdManifest() as unknown as V1CustomResourceDefinition;
}
