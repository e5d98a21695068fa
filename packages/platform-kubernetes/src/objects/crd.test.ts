import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dumpYaml, loadYaml } from '@kubernetes/client-node';
import { functionSpecSchema, parseFunctionConfigText, type JsonSchema } from '@nucleon/core';
import { schemaProblems, structuralSchemaProblems } from '@nucleon/core/testing';
import { describe, expect, it } from 'vitest';
import { NUCLIO_CRD_NAME, nuclioFunctionCrd, nuclioFunctionCrdManifest } from './crd.js';

const manifest = nuclioFunctionCrdManifest() as any;
const version = manifest.spec.versions[0];
const rootSchema = version.schema.openAPIV3Schema as JsonSchema;

describe('the NuclioFunction CRD', () => {
  it("is Nuclio's: nucliofunctions.nuclio.io, namespaced, v1beta1 served and stored, in the nuclio category", () => {
    expect(manifest.metadata.name).toBe(NUCLIO_CRD_NAME);
    expect(NUCLIO_CRD_NAME).toBe('nucliofunctions.nuclio.io');
    expect(manifest.spec).toMatchObject({
      group: 'nuclio.io', scope: 'Namespaced',
      names: { plural: 'nucliofunctions', singular: 'nucliofunction', kind: 'NuclioFunction', shortNames: ['nufn'], categories: ['nuclio'] },
    });
    expect(version).toMatchObject({ name: 'v1beta1', served: true, storage: true, subresources: { status: {} } });
    expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual(['State', 'URL', 'Age']);
  });

  it('has a structural schema whose spec is core functionSpecSchema', () => {
    expect(structuralSchemaProblems(rootSchema)).toEqual([]);
    expect(rootSchema.properties?.spec).toEqual(functionSpecSchema);
  });

  it("accepts the repository's examples as NuclioFunctions and refuses a wrong type naming the field", () => {
    const examples = join(import.meta.dirname, '../../../../examples');
    for (const folder of readdirSync(examples)) {
      if (!readdirSync(join(examples, folder)).includes('function.yaml')) continue;
      const resource = parseFunctionConfigText(readFileSync(join(examples, folder, 'function.yaml'), 'utf8'));
      expect(schemaProblems(rootSchema, resource), folder).toEqual([]);
    }
    expect(schemaProblems(rootSchema, { spec: { replicas: 'two' } })).toEqual(['spec.replicas: expected integer, got string']);
  });

  it('becomes the client model and back unchanged (x-kubernetes-* fields kept)', () => {
    const model = nuclioFunctionCrd();
    expect(model.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec?.x_kubernetes_preserve_unknown_fields).toBe(true);
    expect(loadYaml(dumpYaml(model))).toEqual(model);
    const wire = JSON.parse(JSON.stringify(manifest));
    const dumped = loadYamlPlain(dumpYaml(model));
    expect(dumped).toEqual(wire);
  });
});

/** YAML text to plain JSON objects (no client model). */
function loadYamlPlain(text: string): unknown {
  return parseFunctionConfigText(text, 'crd.yaml');
}
