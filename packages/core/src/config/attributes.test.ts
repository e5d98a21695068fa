import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError, type NucleonError } from '../errors.js';
import type { AttributeSchema } from '../plugin.js';
import { validateAttributes } from './attributes.js';

const schema: AttributeSchema = {
  port: { type: 'integer', minimum: 0, default: 8080, description: 'TCP port' },
  host: { type: 'string', description: 'address to bind' },
  ratio: { type: 'number', minimum: 0.5, description: 'a ratio' },
  mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe', description: 'mode' },
  enabled: { type: 'boolean', default: false, description: 'on or off' },
  cors: { type: 'object', default: { enabled: false }, description: 'CORS settings' },
  topics: { type: 'array', description: 'topics' },
  ingresses: { type: 'object', unsupported: true, description: 'Kubernetes ingresses' },
};

const PATH = 'spec.triggers.web';

function expectInvalid(raw: Record<string, unknown>, s: AttributeSchema = schema): NucleonError {
  try {
    validateAttributes(PATH, '@nucleon/trigger-test', s, raw);
  } catch (err) {
    expect(isNucleonError(err, ErrorCodes.INVALID_CONFIG)).toBe(true);
    return err as NucleonError;
  }
  throw new Error('expected validateAttributes to throw');
}

describe('validateAttributes', () => {
  it('keeps valid values and fills defaults for the rest', () => {
    const { attributes, warnings } = validateAttributes(PATH, 'p', schema, { port: 9000, host: '0.0.0.0', topics: ['a'], ratio: 0.75 });
    expect(attributes).toEqual({ port: 9000, host: '0.0.0.0', topics: ['a'], ratio: 0.75, mode: 'safe', enabled: false, cors: { enabled: false } });
    expect(warnings).toEqual([]);
  });

  it('gives each configuration its own copy of an object default', () => {
    const a = validateAttributes(PATH, 'p', schema, {}).attributes;
    const b = validateAttributes(PATH, 'p', schema, {}).attributes;
    (a.cors as { enabled: boolean }).enabled = true;
    expect(b.cors).toEqual({ enabled: false });
    expect(schema.cors?.default).toEqual({ enabled: false });
  });

  it('leaves out attributes with neither value nor default', () => {
    const { attributes } = validateAttributes(PATH, 'p', schema, {});
    expect(attributes).not.toHaveProperty('host');
    expect(attributes).not.toHaveProperty('topics');
  });

  it.each([
    ['port', '8080', 'expected a number, got a string (4 characters)'],
    ['port', 80.5, 'expected a whole number, got a number with a fraction'],
    ['port', -1, 'expected a number >= 0, got a smaller one'],
    ['ratio', 0.25, 'expected a number >= 0.5, got a smaller one'],
    ['ratio', Number.NaN, 'expected a number'],
    ['host', 42, 'expected a string, got a whole number'],
    ['mode', 'turbo', 'is not one of fast, safe'],
    ['enabled', 'yes', 'expected true or false, got a string (3 characters)'],
    ['cors', ['*'], 'expected a mapping, got a list'],
    ['cors', null, 'expected a mapping, got null'],
    ['topics', 'orders', 'expected a list, got a string (6 characters)'],
  ])('refuses %s = %j', (key, value, message) => {
    const err = expectInvalid({ [key]: value });
    expect(err.details.problems).toEqual([{ path: `${PATH}.attributes.${key}`, message: expect.stringContaining(message) }]);
    expect(err.details.plugin).toBe('@nucleon/trigger-test');
  });

  it('refuses a missing required attribute, quoting its description', () => {
    const err = expectInvalid({}, { brokers: { type: 'array', required: true, description: 'Kafka brokers' } });
    expect(err.details.problems).toEqual([{
      path: `${PATH}.attributes.brokers`, message: expect.stringMatching(/is required by @nucleon\/trigger-test: Kafka brokers/),
    }]);
  });

  it('refuses an unknown attribute and lists the known ones', () => {
    const err = expectInvalid({ prot: 8080 });
    expect(err.details.problems).toEqual([{
      path: `${PATH}.attributes.prot`,
      message: expect.stringContaining('known attributes: port, host, ratio, mode, enabled, cors, topics, ingresses'),
    }]);
  });

  it('says "(none)" when the plugin takes no attributes', () => {
    expect(expectInvalid({ x: 1 }, {}).message).toContain('known attributes: (none)');
  });

  it('reports every problem at once and names the trigger and plugin in the message', () => {
    const err = expectInvalid({ port: 'x', mode: 'turbo', colour: 'red' });
    expect(err.details.problems?.map((p) => p.path)).toEqual([
      `${PATH}.attributes.port`, `${PATH}.attributes.mode`, `${PATH}.attributes.colour`,
    ]);
    expect(err.message).toMatch(/^invalid attributes for trigger web \(@nucleon\/trigger-test\):/);
  });

  it('warns for an unsupported attribute but still type-checks and keeps it', () => {
    const { attributes, warnings } = validateAttributes(PATH, 'p', schema, { ingresses: { a: { host: 'x' } } });
    expect(attributes.ingresses).toEqual({ a: { host: 'x' } });
    expect(warnings).toEqual([{ path: `${PATH}.attributes.ingresses`, message: expect.stringContaining('not supported by p yet') }]);
    expect(expectInvalid({ ingresses: 'x' }).details.problems?.[0]?.path).toBe(`${PATH}.attributes.ingresses`);
  });
});
