import { createError, ErrorCodes, formatProblems, type ConfigProblem } from '../errors.js';
import type { AttributeSchema, AttributeSpec } from '../plugin.js';
import { fieldPath } from './field-path.js';
import { describeType, isPlainObject, ProblemCollector } from './problems.js';

export interface ValidatedAttributes {
  attributes: Record<string, unknown>;
  warnings: ConfigProblem[];
}

/**
 * Checks a trigger's `attributes` against its plugin's schema: types, enums, minimums and
 * required attributes are errors (all reported at once); unknown attributes are errors too,
 * because a misspelt attribute silently ignored is a production incident. Fills defaults.
 */
export function validateAttributes(triggerPath: string, pluginName: string, schema: AttributeSchema,
  raw: Record<string, unknown>): ValidatedAttributes {
  const p = new ProblemCollector();
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = schema[key];
    const path = fieldPath(`${triggerPath}.attributes`, key);
    if (!spec) {
      const known = Object.keys(schema).join(', ') || '(none)';
      p.error(path, `unknown attribute for ${pluginName}; known attributes: ${known}`);
      continue;
    }
    if (spec.unsupported) p.warn(path, `accepted for Nuclio compatibility but not supported by ${pluginName} yet, ignored`);
    const problem = checkValue(value, spec);
    if (problem) p.error(path, problem);
    else result[key] = value;
  }
  for (const [key, spec] of Object.entries(schema)) {
    if (key in result || key in raw) continue;
    if (spec.required) p.error(`${triggerPath}.attributes.${key}`, `is required by ${pluginName}: ${spec.description}`);
    else if (spec.default !== undefined) result[key] = structuredClone(spec.default);
  }
  if (p.errors.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG,
      `invalid attributes for trigger ${triggerPath.split('.').pop()} (${pluginName}):\n${formatProblems(p.errors)}`,
      { details: { problems: p.errors, plugin: pluginName } });
  }
  return { attributes: result, warnings: p.warnings };
}

function checkValue(value: unknown, spec: AttributeSpec): string | undefined {
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${describeType(value)}`;
      if (spec.enum && !spec.enum.includes(value)) return `is not one of ${spec.enum.join(', ')}`;
      return undefined;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || Number.isNaN(value)) return `expected a number, got ${describeType(value)}`;
      if (spec.type === 'integer' && !Number.isInteger(value)) return 'expected a whole number, got a number with a fraction';
      if (spec.minimum !== undefined && value < spec.minimum) return `expected a number >= ${spec.minimum}, got a smaller one`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${describeType(value)}`;
    case 'object':
      return isPlainObject(value) ? undefined : `expected a mapping, got ${describeType(value)}`;
    case 'array':
      return Array.isArray(value) ? undefined : `expected a list, got ${describeType(value)}`;
  }
}
