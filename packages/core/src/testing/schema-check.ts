import type { JsonSchema } from '../config/spec-schema.js';

/**
 * Where `value` breaks `schema`, as `path: message` lines; empty when it conforms. Checks the
 * subset {@link JsonSchema} has (type, enum, minimum/maximum, properties, additionalProperties,
 * items, int-or-string), as a Kubernetes API server does, so tests can show what a CRD with
 * this schema accepts without a cluster.
 */
export function schemaProblems(schema: JsonSchema, value: unknown, path = ''): string[] {
  if (value === null || value === undefined) return [];
  if (schema['x-kubernetes-int-or-string']) {
    return Number.isInteger(value) || typeof value === 'string' ? [] : [`${path}: expected an integer or a string`];
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) return [`${path}: expected ${schema.type}, got ${kindOf(value)}`];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value as string)) problems.push(`${path}: expected one of ${schema.enum.join(', ')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => problems.push(...schemaProblems(schema.items as JsonSchema, item, `${path}[${i}]`)));
  }
  if (kindOf(value) === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const child = schema.properties?.[key] ?? schema.additionalProperties;
      if (child) problems.push(...schemaProblems(child, item, path === '' ? key : `${path}.${key}`));
    }
  }
  return problems;
}

/**
 * Where `schema` breaks Kubernetes' structural-schema rules: a node without `type` (unless it
 * preserves unknown fields or is int-or-string), or `properties` next to `additionalProperties`.
 */
export function structuralSchemaProblems(schema: JsonSchema, path = '(root)'): string[] {
  const problems: string[] = [];
  const free = schema['x-kubernetes-preserve-unknown-fields'] || schema['x-kubernetes-int-or-string'];
  if (schema.type === undefined && !free) problems.push(`${path}: no type`);
  if (schema.properties && schema.additionalProperties) problems.push(`${path}: properties and additionalProperties together`);
  if (schema.type === 'array' && !schema.items) problems.push(`${path}: array without items`);
  for (const [key, child] of Object.entries(schema.properties ?? {})) problems.push(...structuralSchemaProblems(child, `${path}.${key}`));
  if (schema.additionalProperties) problems.push(...structuralSchemaProblems(schema.additionalProperties, `${path}.*`));
  if (schema.items) problems.push(...structuralSchemaProblems(schema.items, `${path}[]`));
  return problems;
}

function hasType(value: unknown, type: NonNullable<JsonSchema['type']>): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return kindOf(value) === type;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
