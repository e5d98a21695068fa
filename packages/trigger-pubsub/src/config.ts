import { randomBytes } from 'node:crypto';
import {
  createError, deliveryAttributeProblems, ErrorCodes, formatProblems, parseDuration, type ConfigProblem, type TriggerConfig,
} from '@nucleon/core';
import { SUBSCRIPTION_KEYS } from './attributes.js';

/** One subscription to consume, resolved. */
export interface SubscriptionSettings {
  topic: string;
  /** The subscription id (short name) used at the service. */
  id: string;
  shared: boolean;
  /** Messages handed to the handler at once (client flow control: max outstanding messages). */
  maxNumWorkers: number;
  ackDeadlineSeconds: number;
  skipCreate: boolean;
  /** A per-start id (not shared, no NUCLEON_REPLICA_ID): the trigger deletes the subscription on stop. */
  ephemeral: boolean;
}

/** The resolved, checked settings of one Pub/Sub trigger. */
export interface PubSubSettings {
  projectId: string;
  /** host:port of the emulator, when one is used. */
  emulatorHost?: string;
  noCredentials: boolean;
  /** The parsed service account key from `credentials.contents`. */
  credentials?: Record<string, unknown>;
  subscriptions: SubscriptionSettings[];
}

const DEFAULT_ACK_DEADLINE = '10s';
const MAX_ACK_DEADLINE_S = 600;

/**
 * The subscription id, as Nuclio names it: `<idPrefix><topic>` for a shared subscription (every
 * replica consumes the same one and they split the messages), plus `-<replica id>` when not
 * shared (every replica gets every message). Nucleon adds `-<idSuffix>` when given, so two
 * functions (or two triggers) can share a topic without sharing a subscription.
 */
export function subscriptionId(entry: { topic: string; idPrefix?: string; idSuffix?: string; shared: boolean }, replicaId: string): string {
  let id = `${entry.idPrefix ?? ''}${entry.topic}`;
  if (entry.idSuffix) id += `-${entry.idSuffix}`;
  return entry.shared ? id : `${id}-${replicaId}`;
}

/**
 * Reads and cross-checks the attributes; throws INVALID_CONFIG naming the trigger and every bad
 * attribute (`spec.triggers.<name>.attributes.subscriptions[1].ackDeadline`), the delivery
 * attributes included, in one error.
 */
export function readPubSubSettings(name: string, config: TriggerConfig, env: NodeJS.ProcessEnv = process.env): PubSubSettings {
  const attrs = config.attributes;
  const at = (key: string): string => `spec.triggers.${name}.attributes.${key}`;
  const problems: ConfigProblem[] = [];

  const projectId = typeof attrs.projectID === 'string' ? attrs.projectID.trim() : '';
  if (!projectId) problems.push({ path: at('projectID'), message: 'is required (the Google Cloud project id)' });
  else if (!/^[a-z][a-z0-9-]{0,62}$/i.test(projectId)) problems.push({ path: at('projectID'), message: `is not a project id: ${JSON.stringify(projectId)}` });

  const emulatorRaw = typeof attrs.emulatorHost === 'string' && attrs.emulatorHost !== '' ? attrs.emulatorHost : env.PUBSUB_EMULATOR_HOST || undefined;
  const emulatorHost = emulatorRaw?.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (emulatorHost !== undefined && !/^[^\s:/]+:\d{1,5}$/.test(emulatorHost)) {
    problems.push({ path: at('emulatorHost'), message: `must be host:port, got ${JSON.stringify(emulatorRaw)}${attrs.emulatorHost ? '' : ' (from PUBSUB_EMULATOR_HOST)'}` });
  }

  const noCredentials = attrs.noCredentials === true;
  let credentials: Record<string, unknown> | undefined;
  if (attrs.credentials !== undefined) {
    const contents = (attrs.credentials as { contents?: unknown } | null)?.contents;
    if (typeof contents !== 'string' || contents === '') {
      problems.push({ path: at('credentials'), message: 'must be {contents: "<service account key JSON>"}' });
    } else {
      try {
        credentials = JSON.parse(contents) as Record<string, unknown>;
      } catch {
        problems.push({ path: at('credentials.contents'), message: 'is not JSON (a service account key)' });
      }
    }
  }
  if (!noCredentials && !emulatorHost && !credentials && !env.GOOGLE_APPLICATION_CREDENTIALS) {
    problems.push({
      path: at('credentials'),
      message: 'no credentials: set credentials.contents or GOOGLE_APPLICATION_CREDENTIALS, use an emulator (emulatorHost / PUBSUB_EMULATOR_HOST), or set noCredentials: true',
    });
  }

  const defaultDeadline = ackDeadlineSeconds(attrs.ackDeadline ?? DEFAULT_ACK_DEADLINE, at('ackDeadline'), problems) ?? 10;
  const replicaId = env.NUCLEON_REPLICA_ID?.trim() || randomBytes(10).toString('hex');
  const subscriptions: SubscriptionSettings[] = [];
  const list = attrs.subscriptions;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push({ path: at('subscriptions'), message: 'is required: a non-empty list of {topic, ...}' });
  } else {
    list.forEach((raw, index) => {
      const path = (key?: string): string => at(`subscriptions[${index}]${key ? `.${key}` : ''}`);
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        problems.push({ path: path(), message: 'must be an object {topic, ...}' });
        return;
      }
      const entry = raw as Record<string, unknown>;
      for (const key of Object.keys(entry)) {
        if (!(SUBSCRIPTION_KEYS as readonly string[]).includes(key)) {
          problems.push({ path: path(key), message: `unknown attribute; known: ${SUBSCRIPTION_KEYS.join(', ')}` });
        }
      }
      const topic = entry.topic;
      if (typeof topic !== 'string' || !/^[A-Za-z][\w.~+%-]{2,254}$/.test(topic)) {
        problems.push({ path: path('topic'), message: `is required: a topic name (3-255 characters, starting with a letter), got ${JSON.stringify(topic)}` });
      }
      for (const key of ['idPrefix', 'idSuffix'] as const) {
        if (entry[key] !== undefined && typeof entry[key] !== 'string') problems.push({ path: path(key), message: 'must be a string' });
      }
      for (const key of ['shared', 'skipCreate', 'synchronous'] as const) {
        if (entry[key] !== undefined && typeof entry[key] !== 'boolean') problems.push({ path: path(key), message: 'must be true or false' });
      }
      const workers = entry.maxNumWorkers ?? config.numWorkers ?? 1;
      if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1) {
        problems.push({ path: path('maxNumWorkers'), message: `must be an integer >= 1, got ${JSON.stringify(entry.maxNumWorkers)}` });
      }
      const deadline = entry.ackDeadline === undefined ? defaultDeadline : ackDeadlineSeconds(entry.ackDeadline, path('ackDeadline'), problems);
      if (typeof topic !== 'string') return;
      const shared = entry.shared === true;
      const id = subscriptionId({
        topic, shared,
        ...(typeof entry.idPrefix === 'string' ? { idPrefix: entry.idPrefix } : {}),
        ...(typeof entry.idSuffix === 'string' ? { idSuffix: entry.idSuffix } : {}),
      }, replicaId);
      if (!/^[A-Za-z][\w.~+%-]{2,254}$/.test(id)) {
        problems.push({ path: path('idPrefix'), message: `makes an invalid subscription id ${JSON.stringify(id)} (letters, digits, - _ . ~ + %, starting with a letter)` });
      }
      subscriptions.push({
        topic, id, shared,
        maxNumWorkers: typeof workers === 'number' ? workers : 1,
        ackDeadlineSeconds: deadline ?? 10,
        skipCreate: entry.skipCreate === true,
        ephemeral: !shared && !env.NUCLEON_REPLICA_ID?.trim() && entry.skipCreate !== true,
      });
    });
    const seen = new Set<string>();
    subscriptions.forEach((s, index) => {
      if (seen.has(s.id)) problems.push({ path: at(`subscriptions[${index}]`), message: `repeats subscription ${s.id}` });
      seen.add(s.id);
    });
  }

  problems.push(...deliveryAttributeProblems(`spec.triggers.${name}`, attrs));
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid configuration for trigger ${name}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  return {
    projectId, noCredentials, subscriptions,
    ...(emulatorHost ? { emulatorHost } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

/** A Nuclio duration ("10s", "1m") or a number of seconds, as whole seconds in 1..600; undefined (and a problem) otherwise. */
function ackDeadlineSeconds(raw: unknown, path: string, problems: ConfigProblem[]): number | undefined {
  const ms = typeof raw === 'number' ? raw * 1000 : typeof raw === 'string' ? parseDuration(raw) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms < 1000 || ms > MAX_ACK_DEADLINE_S * 1000) {
    problems.push({ path, message: `must be a duration from 1s to 600s (like "10s"), got ${JSON.stringify(raw)}` });
    return undefined;
  }
  return Math.ceil(ms / 1000);
}
