import {
  createError, deliveryAttributeProblems, ErrorCodes, formatProblems, parseDuration, type ConfigProblem, type TriggerConfig,
} from '@nucleon/core';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** The resolved, checked settings of one Kafka trigger. */
export interface KafkaSettings {
  brokers: string[];
  topics: string[];
  consumerGroup: string;
  clientId: string;
  fromBeginning: boolean;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  maxWaitTimeMs: number;
  fetchMin: number;
  fetchDefault: number;
  fetchMax: number;
  /** Partitions handled at once: numWorkers, each partition in order. */
  concurrency: number;
  workerAllocationMode: 'pool' | 'static';
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  tls?: { rejectUnauthorized: boolean; ca?: string; key?: string; cert?: string };
  responseTopic?: string;
}

const SASL_MECHANISMS: Record<string, SaslMechanism> = {
  plain: 'plain', 'scram-sha-256': 'scram-sha-256', 'scram-sha-512': 'scram-sha-512',
  // Nuclio (sarama) spellings
  PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512',
};

/** Reads and cross-checks the attributes; throws INVALID_CONFIG naming the trigger and every bad attribute. */
export function readKafkaSettings(name: string, config: TriggerConfig, functionName: string): KafkaSettings {
  const attrs = config.attributes;
  const at = (key: string): string => `spec.triggers.${name}.attributes.${key}`;
  const problems: ConfigProblem[] = [];

  const brokers = readBrokers(attrs.brokers, config.url);
  if (brokers === undefined) {
    problems.push({ path: at('brokers'), message: 'must be a list of host:port strings' });
  } else if (brokers.length === 0) {
    problems.push({ path: at('brokers'), message: 'is required (a list of host:port), here or as the trigger-level url' });
  } else {
    const bad = brokers.filter((b) => !/^[^\s:/]+:\d{1,5}$/.test(b));
    if (bad.length > 0) problems.push({ path: at('brokers'), message: `must be host:port, got ${bad.map((b) => JSON.stringify(b)).join(', ')}` });
  }
  const topics = (attrs.topics as unknown[] | undefined) ?? [];
  if (topics.length === 0 || topics.some((t) => typeof t !== 'string' || t === '')) {
    problems.push({ path: at('topics'), message: 'must be a non-empty list of topic names' });
  }
  const duration = (key: string): number => {
    const raw = attrs[key];
    const ms = parseDuration(String(raw));
    if (ms === undefined || ms <= 0) {
      problems.push({ path: at(key), message: `is not a positive duration (like "10s" or "500ms"): ${JSON.stringify(raw)}` });
      return 0;
    }
    return ms;
  };
  const sessionTimeoutMs = duration('sessionTimeout');
  const heartbeatIntervalMs = duration('heartbeatInterval');
  const rebalanceTimeoutMs = duration('rebalanceTimeout');
  const maxWaitTimeMs = duration('maxWaitTime');
  if (heartbeatIntervalMs > 0 && sessionTimeoutMs > 0 && heartbeatIntervalMs >= sessionTimeoutMs) {
    problems.push({ path: at('heartbeatInterval'), message: `must be shorter than sessionTimeout (${String(attrs.sessionTimeout)})` });
  }
  const sasl = readSasl(attrs.sasl, at('sasl'), problems);
  const tls = readTls(attrs, at('tls'), problems);
  // The delivery attributes too, so one error lists every problem of the trigger.
  problems.push(...deliveryAttributeProblems(`spec.triggers.${name}`, attrs));

  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid configuration for trigger ${name}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  const responseTopic = typeof attrs.responseTopic === 'string' && attrs.responseTopic !== '' ? attrs.responseTopic : undefined;
  return {
    brokers: brokers as string[],
    topics: topics as string[],
    consumerGroup: attrs.consumerGroup as string,
    clientId: (attrs.clientId as string | undefined) ?? `nucleon-${functionName}-${name}`,
    fromBeginning: attrs.initialOffset !== 'latest',
    sessionTimeoutMs,
    heartbeatIntervalMs,
    rebalanceTimeoutMs,
    maxWaitTimeMs,
    fetchMin: attrs.fetchMin as number,
    fetchDefault: attrs.fetchDefault as number,
    fetchMax: attrs.fetchMax as number,
    concurrency: Math.max(1, config.numWorkers ?? 1),
    workerAllocationMode: (attrs.workerAllocationMode as 'pool' | 'static' | undefined) ?? 'pool',
    ...(sasl ? { sasl } : {}),
    ...(tls ? { tls } : {}),
    ...(responseTopic ? { responseTopic } : {}),
  };
}

/** Brokers as a list (attribute) or comma-separated text (attribute or trigger-level url); undefined when malformed. */
function readBrokers(value: unknown, url: string | undefined): string[] | undefined {
  const split = (text: string): string[] => text.split(',').map((b) => b.trim().replace(/^kafka:\/\//, '')).filter((b) => b !== '');
  if (value === undefined) return url ? split(url) : [];
  if (typeof value === 'string') return split(value);
  if (Array.isArray(value) && value.every((b) => typeof b === 'string')) return value.flatMap(split);
  return undefined;
}

function readSasl(value: unknown, path: string, problems: ConfigProblem[]): KafkaSettings['sasl'] {
  if (value === undefined || value === null) return undefined;
  const sasl = value as Record<string, unknown>;
  if (sasl.enable !== true) return undefined;
  const mechanism = SASL_MECHANISMS[String(sasl.mechanism ?? 'plain')];
  if (!mechanism) problems.push({ path: `${path}.mechanism`, message: `must be plain, scram-sha-256 or scram-sha-512, got ${JSON.stringify(sasl.mechanism)}` });
  if (typeof sasl.user !== 'string' || sasl.user === '') problems.push({ path: `${path}.user`, message: 'is required when sasl.enable is true' });
  if (typeof sasl.password !== 'string') problems.push({ path: `${path}.password`, message: 'is required when sasl.enable is true' });
  return { mechanism: mechanism ?? 'plain', username: String(sasl.user), password: String(sasl.password) };
}

function readTls(attrs: Record<string, unknown>, path: string, problems: ConfigProblem[]): KafkaSettings['tls'] {
  const tls = (attrs.tls ?? {}) as Record<string, unknown>;
  if (typeof tls !== 'object') {
    problems.push({ path, message: 'must be an object {enable, insecureSkipVerify}' });
    return undefined;
  }
  if (tls.enable !== true) return undefined;
  const pem = (key: string): string | undefined => (typeof attrs[key] === 'string' && attrs[key] !== '' ? attrs[key] as string : undefined);
  const ca = pem('caCert');
  const key = pem('accessKey');
  const cert = pem('accessCertificate');
  return { rejectUnauthorized: tls.insecureSkipVerify !== true, ...(ca ? { ca } : {}), ...(key ? { key } : {}), ...(cert ? { cert } : {}) };
}
