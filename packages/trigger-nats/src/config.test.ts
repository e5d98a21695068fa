import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError, validateAttributes, type FunctionConfig } from '@nucleon/core';
import { natsAttributes } from './attributes.js';
import { readNatsSettings, redactUrl, resolveQueueName } from './config.js';
import { isValidSubject, subjectCovers } from './subjects.js';
import { contentTypeOf, toEventHeaders, toNatsHeaders } from './headers.js';

const fn = { metadata: { name: 'fn', namespace: 'ns', labels: { team: 'a' }, annotations: {} } } as unknown as FunctionConfig;
const read = (attributes: Record<string, unknown>, extra: { url?: string } = {}) => {
  const validated = validateAttributes('spec.triggers.orders', '@nucleon/trigger-nats', natsAttributes, attributes);
  return readNatsSettings('orders', { kind: 'nats', workerAvailabilityTimeoutMilliseconds: 1000, attributes: validated.attributes, ...extra }, fn);
};
const paths = (f: () => unknown): string[] => {
  try {
    f();
  } catch (err) {
    expect(isNucleonError(err, ErrorCodes.INVALID_CONFIG)).toBe(true);
    return (err as { details: { problems: Array<{ path: string }> } }).details.problems.map((p) => p.path);
  }
  throw new Error('expected INVALID_CONFIG');
};

describe('readNatsSettings', () => {
  it('applies the defaults: queue group per function and trigger, core NATS', () => {
    expect(read({ url: 'nats://127.0.0.1:4222', topic: 'a.>' })).toEqual({
      servers: ['nats://127.0.0.1:4222'], safeUrl: 'nats://127.0.0.1:4222', topic: 'a.>', queueName: 'nucleon.fn.orders', reply: false,
    });
  });

  it('takes the trigger-level url (Nuclio); the attribute wins', () => {
    expect(read({ topic: 'a' }, { url: 'nats://h:1' }).servers).toEqual(['nats://h:1']);
    expect(read({ topic: 'a', url: 'nats://x:2' }, { url: 'nats://h:1' }).servers).toEqual(['nats://x:2']);
  });

  it('resolves the jetStream block with its defaults; the durable defaults to the queue name', () => {
    expect(read({ url: 'nats://h:1', topic: 'a', queueName: '{{ .Namespace }}.{{ .Name }}', jetStream: { stream: 'S' } }).jetStream)
      .toEqual({ stream: 'S', durable: 'ns-fn', ackWaitMs: 30_000, deliverPolicy: 'all', maxAckPending: 256 });
    expect(read({ url: 'nats://h:1', topic: 'a', jetStream: { stream: 'S', durable: 'd', ackWait: '5s', deliverPolicy: 'new', maxAckPending: 10 } }).jetStream)
      .toEqual({ stream: 'S', durable: 'd', ackWaitMs: 5000, deliverPolicy: 'new', maxAckPending: 10 });
  });

  it('lists every problem at once with its path', () => {
    expect(paths(() => read({ jetStream: { ackWait: 'x', extra: 1 }, reply: true, deadLetter: 'a.*' }))).toEqual([
      'spec.triggers.orders.attributes.url', 'spec.triggers.orders.attributes.topic',
      'spec.triggers.orders.attributes.jetStream.extra', 'spec.triggers.orders.attributes.jetStream.stream',
      'spec.triggers.orders.attributes.jetStream.ackWait', 'spec.triggers.orders.attributes.reply',
      'spec.triggers.orders.attributes.deadLetter',
    ]);
    expect(paths(() => read({ url: 'nats://h', topic: 'a.>', deadLetter: 'a.dlq' }))).toEqual(['spec.triggers.orders.attributes.deadLetter']);
    expect(paths(() => read({ url: 'nats://h', topic: 'a', jetStream: 'S' }))).toEqual(['spec.triggers.orders.attributes.jetStream']);
  });
});

describe('queue-name templates', () => {
  it('resolves Nuclio fields and refuses others', () => {
    expect(resolveQueueName('{{ .Namespace }}.{{ .Name }}.{{ .Id }}', 't', fn.metadata)).toBe('ns.fn.t');
    expect(resolveQueueName('q-{{ index .Labels "team" }}-{{.Labels.team}}', 't', fn.metadata)).toBe('q-a-a');
    expect(resolveQueueName('plain', 't', fn.metadata)).toBe('plain');
    expect(resolveQueueName('{{ .Foo }}', 't', fn.metadata)).toEqual({ error: expect.stringContaining('not supported') });
  });
});

describe('subjects and headers', () => {
  it('matches wildcards', () => {
    expect(subjectCovers('a.>', 'a.b.c')).toBe(true);
    expect(subjectCovers('a.*', 'a.b')).toBe(true);
    expect(subjectCovers('a.*', 'a.b.c')).toBe(false);
    expect(subjectCovers('a.>', 'a')).toBe(false);
    expect(subjectCovers('a.b', 'a.*')).toBe(false);
    expect(isValidSubject('a.b.>')).toBe(true);
    expect(isValidSubject('a..b')).toBe(false);
    expect(isValidSubject('a.>.b')).toBe(false);
  });

  it('converts headers both ways, lists for repeated names', () => {
    const h = toNatsHeaders({ 'x-a': '1', 'x-b': ['2', '3'], 'content-type': 'text/plain', 'x-err': 'line1\nline2' });
    expect(toEventHeaders(h)).toEqual({ 'x-a': '1', 'x-b': ['2', '3'], 'content-type': 'text/plain', 'x-err': 'line1 line2' });
    expect(contentTypeOf(h)).toBe('text/plain');
    expect(toEventHeaders(undefined)).toEqual({});
    expect(redactUrl('nats://u:p@h:1,nats://v:q@g:2')).toBe('nats://u:***@h:1,nats://v:***@g:2');
  });
});
