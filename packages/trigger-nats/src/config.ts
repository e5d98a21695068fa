import {
  createError, deliveryAttributeProblems, ErrorCodes, formatProblems, parseDuration,
  type ConfigProblem, type FunctionConfig, type TriggerConfig,
} from '@nucleon/core';
import { isValidSubject, subjectCovers } from './subjects.js';

/** Where a JetStream consumer starts when it is created (it then remembers its position). */
export type JetStreamDeliverPolicy = 'all' | 'new' | 'last' | 'last_per_subject';

/** The `jetStream` block, resolved. */
export interface JetStreamSettings {
  stream: string;
  /** The durable consumer's name. */
  durable: string;
  ackWaitMs: number;
  deliverPolicy: JetStreamDeliverPolicy;
  maxAckPending: number;
}

/** The resolved, checked settings of one NATS trigger. */
export interface NatsSettings {
  /** Server URLs, as the nats client takes them. */
  servers: string[];
  /** The URLs with any password replaced by `***`, for messages and logs. */
  safeUrl: string;
  topic: string;
  /** The queue group (templates resolved). */
  queueName: string;
  reply: boolean;
  jetStream?: JetStreamSettings;
}

const JETSTREAM_KEYS = ['stream', 'durable', 'ackWait', 'deliverPolicy', 'maxAckPending'] as const;
const DELIVER_POLICIES: readonly JetStreamDeliverPolicy[] = ['all', 'new', 'last', 'last_per_subject'];
/** Default `jetStream.maxAckPending`: enough in flight to keep a pull consumer busy, few enough to wait in the pool well inside `ackWait`. */
export const DEFAULT_MAX_ACK_PENDING = 256;
export const DEFAULT_ACK_WAIT_MS = 30_000;
/** JetStream stream and consumer names: no whitespace, dots, wildcards or path separators. */
const NAME = /^[^\s.*>/\\]+$/;

/** Replaces the password of each URL, so it can be printed. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@,]*):[^@,]*@/g, '//$1:***@');
}

/**
 * Resolves a Nuclio queue-name template: `{{ .Id }}` (the trigger name), `{{ .Name }}` (the
 * function), `{{ .Namespace }}`, `{{ index .Labels "k" }}` / `{{ .Labels.k }}` and the same for
 * `.Annotations`. Returns an error message for anything else.
 */
export function resolveQueueName(template: string, trigger: string, fn: FunctionConfig['metadata'] | undefined): string | { error: string } {
  let error: string | undefined;
  const maps = { Labels: fn?.labels ?? {}, Annotations: fn?.annotations ?? {} };
  const out = template.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_all, expr: string) => {
    let m: RegExpExecArray | null;
    if (expr === '.Id') return trigger;
    if (expr === '.Name') return fn?.name ?? '';
    if (expr === '.Namespace') return fn?.namespace ?? 'default';
    if ((m = /^index\s+\.(Labels|Annotations)\s+"([^"]*)"$/.exec(expr)) || (m = /^\.(Labels|Annotations)\.(\w[\w-]*)$/.exec(expr))) {
      return maps[m[1] as 'Labels' | 'Annotations'][m[2] as string] ?? '';
    }
    error ??= `template {{ ${expr} }} is not supported (use .Id, .Name, .Namespace, index .Labels "k", index .Annotations "k")`;
    return '';
  });
  if (error) return { error };
  if (out === '' || /\s/.test(out)) return { error: `resolves to ${JSON.stringify(out)}, which is not a valid queue group name` };
  return out;
}

/**
 * Reads and cross-checks the attributes; throws INVALID_CONFIG naming the trigger and every
 * attribute that is wrong, delivery attributes (docs/delivery.md) included.
 */
export function readNatsSettings(name: string, config: TriggerConfig, fn?: FunctionConfig): NatsSettings {
  const attrs = config.attributes;
  const at = (key: string): string => `spec.triggers.${name}.attributes.${key}`;
  const problems: ConfigProblem[] = [];

  const url = (typeof attrs.url === 'string' && attrs.url !== '' ? attrs.url : undefined) ?? config.url;
  const servers = url ? url.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
  if (servers.length === 0) {
    problems.push({ path: at('url'), message: 'is required (nats://host:4222), here or as the trigger-level url' });
  } else {
    for (const server of servers) {
      if (!/^(nats|tls):\/\/[^/]+$/.test(server)) problems.push({ path: at('url'), message: `must be nats://host:port (or tls://), got ${redactUrl(server)}` });
    }
  }

  const topic = typeof attrs.topic === 'string' ? attrs.topic.trim() : '';
  if (topic === '') problems.push({ path: at('topic'), message: 'is required: the subject to consume (for example orders.>)' });
  else if (!isValidSubject(topic)) problems.push({ path: at('topic'), message: `is not a valid NATS subject: ${JSON.stringify(topic)}` });

  let queueName = `nucleon.${fn?.metadata.name ?? 'function'}.${name}`;
  if (typeof attrs.queueName === 'string' && attrs.queueName !== '') {
    const resolved = resolveQueueName(attrs.queueName, name, fn?.metadata);
    if (typeof resolved === 'string') queueName = resolved;
    else problems.push({ path: at('queueName'), message: resolved.error });
  }

  const reply = attrs.reply === true;
  let jetStream: JetStreamSettings | undefined;
  if (attrs.jetStream !== undefined && attrs.jetStream !== null) {
    jetStream = readJetStream(attrs.jetStream, queueName, at('jetStream'), problems);
    if (reply) problems.push({ path: at('reply'), message: 'applies to core NATS only: a JetStream message\'s reply subject is its ack' });
  }

  const deadLetter = typeof attrs.deadLetter === 'string' ? attrs.deadLetter : '';
  if (deadLetter !== '') {
    if (!isValidSubject(deadLetter) || /[*>]/.test(deadLetter)) {
      problems.push({ path: at('deadLetter'), message: `must be a subject without wildcards, got ${JSON.stringify(deadLetter)}` });
    } else if (topic !== '' && subjectCovers(topic, deadLetter)) {
      problems.push({ path: at('deadLetter'), message: `${deadLetter} matches topic ${topic}: dead letters would come back to this trigger` });
    }
  }
  problems.push(...deliveryAttributeProblems(`spec.triggers.${name}`, attrs));
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid configuration for trigger ${name}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  return { servers, safeUrl: redactUrl(servers.join(',')), topic, queueName, reply, ...(jetStream ? { jetStream } : {}) };
}

function readJetStream(value: unknown, queueName: string, path: string, problems: ConfigProblem[]): JetStreamSettings | undefined {
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ path, message: 'must be an object: { stream, durable, ackWait, deliverPolicy, maxAckPending }' });
    return undefined;
  }
  const js = value as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(js)) {
    if (!(JETSTREAM_KEYS as readonly string[]).includes(key)) {
      problems.push({ path: `${path}.${key}`, message: `unknown jetStream setting; known settings: ${JETSTREAM_KEYS.join(', ')}` });
    }
  }
  const stream = js.stream;
  if (typeof stream !== 'string' || stream === '') {
    problems.push({ path: `${path}.stream`, message: 'is required: the JetStream stream to consume (created over topic when missing)' });
  } else if (!NAME.test(stream)) {
    problems.push({ path: `${path}.stream`, message: `is not a valid stream name (no spaces, dots, * or >): ${JSON.stringify(stream)}` });
  }
  let durable = queueName.replace(/[.*>/\\\s]/g, '-');
  if (js.durable !== undefined) {
    if (typeof js.durable !== 'string' || !NAME.test(js.durable)) {
      problems.push({ path: `${path}.durable`, message: `must be a consumer name (no spaces, dots, * or >), got ${JSON.stringify(js.durable)}` });
    } else durable = js.durable;
  }
  let ackWaitMs = DEFAULT_ACK_WAIT_MS;
  if (js.ackWait !== undefined) {
    const ms = typeof js.ackWait === 'number' ? js.ackWait : typeof js.ackWait === 'string' ? parseDuration(js.ackWait) : undefined;
    if (ms === undefined || !Number.isFinite(ms) || ms < 1000) {
      problems.push({ path: `${path}.ackWait`, message: `must be a duration of at least 1s (like 30s; a number is milliseconds), got ${JSON.stringify(js.ackWait)}` });
    } else ackWaitMs = ms;
  }
  let deliverPolicy: JetStreamDeliverPolicy = 'all';
  if (js.deliverPolicy !== undefined) {
    if (!DELIVER_POLICIES.includes(js.deliverPolicy as JetStreamDeliverPolicy)) {
      problems.push({ path: `${path}.deliverPolicy`, message: `must be one of ${DELIVER_POLICIES.join(', ')}, got ${JSON.stringify(js.deliverPolicy)}` });
    } else deliverPolicy = js.deliverPolicy as JetStreamDeliverPolicy;
  }
  let maxAckPending = DEFAULT_MAX_ACK_PENDING;
  if (js.maxAckPending !== undefined) {
    if (!Number.isInteger(js.maxAckPending) || (js.maxAckPending as number) < 1) {
      problems.push({ path: `${path}.maxAckPending`, message: `must be an integer >= 1, got ${JSON.stringify(js.maxAckPending)}` });
    } else maxAckPending = js.maxAckPending as number;
  }
  if (problems.length > before) return undefined;
  return { stream: stream as string, durable, ackWaitMs, deliverPolicy, maxAckPending };
}
