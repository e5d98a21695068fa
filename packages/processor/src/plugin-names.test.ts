import { describe, expect, it } from 'vitest';
import { BUILTIN_RUNTIMES, BUILTIN_TRIGGERS, runtimePackage, triggerPackage } from './plugin-names.js';

describe('triggerPackage', () => {
  it.each([
    ['http', '@nucleon/trigger-http'],
    ['kafka-cluster', '@nucleon/trigger-kafka'],
    ['kafka', '@nucleon/trigger-kafka'],
    ['rabbit-mq', '@nucleon/trigger-rabbitmq'],
    ['cron', '@nucleon/trigger-cron'],
  ])('maps the Nuclio kind %s to %s', (kind, pkg) => {
    expect(triggerPackage(kind)).toBe(pkg);
  });

  it('takes an unknown kind as the npm package name of a third-party trigger', () => {
    expect(triggerPackage('@acme/trigger-sqs')).toBe('@acme/trigger-sqs');
    expect(triggerPackage('nucleon-trigger-redis')).toBe('nucleon-trigger-redis');
  });

  it('does not resolve inherited object keys as trigger kinds', () => {
    expect(triggerPackage('toString')).toBe('toString');
    expect(triggerPackage('constructor')).toBe('constructor');
  });
});

describe('runtimePackage', () => {
  it.each([
    ['nodejs', '@nucleon/runtime-node'],
    ['typescript', '@nucleon/runtime-node'],
    ['python:3.11', '@nucleon/runtime-python'],
    ['python', '@nucleon/runtime-python'],
    ['golang', '@nucleon/runtime-go'],
  ])('maps the Nuclio runtime %s to %s', (runtime, pkg) => {
    expect(runtimePackage(runtime)).toBe(pkg);
  });

  it('takes an unknown runtime as a package name, version suffix and all', () => {
    expect(runtimePackage('@acme/runtime-ruby')).toBe('@acme/runtime-ruby');
    expect(runtimePackage('ruby:3.3')).toBe('ruby:3.3');
    expect(runtimePackage('constructor')).toBe('constructor');
  });

  it('maps every built-in name to a package under the @nucleon scope', () => {
    for (const pkg of [...Object.values(BUILTIN_TRIGGERS), ...Object.values(BUILTIN_RUNTIMES)]) {
      expect(pkg).toMatch(/^@nucleon\/(trigger|runtime)-[a-z]+$/);
    }
  });
});
