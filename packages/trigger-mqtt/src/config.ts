import {
  createError, deliveryAttributeProblems, ErrorCodes, formatProblems, type ConfigProblem, type TriggerConfig,
} from '@nucleon/core';

/** One subscription: an MQTT topic filter and the QoS asked for it. */
export interface MqttSubscription {
  topic: string;
  qos: 0 | 1 | 2;
}

/** The resolved, checked settings of one MQTT trigger. */
export interface MqttSettings {
  /** The broker URL as mqtt.js takes it (tcp://, mqtt://, ...; a bare host:port gets mqtt://). */
  url: string;
  /** The URL with any password replaced by `***`, for messages, logs and `event.url`. */
  safeUrl: string;
  subscriptions: MqttSubscription[];
  clientId: string;
  username?: string;
  password?: string;
  cleanSession: boolean;
  protocolVersion: 4 | 5;
  sessionExpiryInterval: number;
  keepAlive: number;
}

const URL_SCHEMES = /^(tcp|mqtt|mqtts|ssl|tls|ws|wss):\/\//;
/** MQTT 5 session expiry meaning "never". */
export const SESSION_NEVER_EXPIRES = 0xffffffff;

/** Replaces the password of a URL, so it can be printed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** Checks one MQTT topic filter: non-empty, wildcards only as whole levels, `#` last. */
export function topicFilterProblem(topic: string): string | undefined {
  if (topic === '') return 'must not be empty';
  const levels = topic.split('/');
  for (let i = 0; i < levels.length; i += 1) {
    const level = levels[i] as string;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return `"${topic}": # must be a whole level and the last one`;
    if (level.includes('+') && level !== '+') return `"${topic}": + must be a whole level`;
  }
  return undefined;
}

/**
 * Reads and cross-checks the attributes; throws INVALID_CONFIG naming the trigger and every
 * wrong attribute at once (the delivery attributes included).
 */
export function readMqttSettings(name: string, config: TriggerConfig, functionName: string): MqttSettings {
  const attrs = config.attributes;
  const at = (key: string): string => `spec.triggers.${name}.attributes.${key}`;
  const problems: ConfigProblem[] = [];
  let url = (typeof attrs.url === 'string' && attrs.url !== '' ? attrs.url : undefined) ?? (config.url || undefined);
  if (!url) {
    problems.push({ path: at('url'), message: 'is required (tcp://host:1883 or mqtt://host:1883), here or as the trigger-level url' });
  } else if (!URL_SCHEMES.test(url)) {
    if (/^[A-Za-z0-9.[\]:-]+:\d+$/.test(url)) url = `mqtt://${url}`; // Nuclio's examples give a bare host:port
    else problems.push({ path: at('url'), message: `must be a tcp://, mqtt://, mqtts://, ws:// or wss:// URL, got ${redactUrl(url)}` });
  }
  const subscriptions: MqttSubscription[] = [];
  const raw = attrs.subscriptions;
  if (raw === undefined || (Array.isArray(raw) && raw.length === 0)) {
    problems.push({ path: at('subscriptions'), message: 'is required: a list of {topic, qos}, at least one' });
  } else if (!Array.isArray(raw)) {
    problems.push({ path: at('subscriptions'), message: 'must be a list of {topic, qos}' });
  } else {
    raw.forEach((item: unknown, i) => {
      const path = `${at('subscriptions')}[${i}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        problems.push({ path, message: 'must be a mapping {topic, qos}' });
        return;
      }
      const { topic, qos = 0, ...rest } = item as Record<string, unknown>;
      for (const key of Object.keys(rest)) problems.push({ path: `${path}.${key}`, message: 'unknown field (known: topic, qos)' });
      if (typeof topic !== 'string') {
        problems.push({ path: `${path}.topic`, message: 'is required (a topic filter such as sensors/+/temperature)' });
      } else {
        const bad = topicFilterProblem(topic);
        if (bad) problems.push({ path: `${path}.topic`, message: bad });
      }
      if (qos !== 0 && qos !== 1 && qos !== 2) {
        problems.push({ path: `${path}.qos`, message: `must be 0, 1 or 2, got ${JSON.stringify(qos)}` });
      }
      if (typeof topic === 'string' && (qos === 0 || qos === 1 || qos === 2)) subscriptions.push({ topic, qos });
    });
  }
  const protocolVersion = attrs.protocolVersion ?? 5;
  if (protocolVersion !== 4 && protocolVersion !== 5) {
    problems.push({ path: at('protocolVersion'), message: `must be 4 (MQTT 3.1.1) or 5, got ${JSON.stringify(protocolVersion)}` });
  }
  const clientId = typeof attrs.clientID === 'string' && attrs.clientID !== '' ? attrs.clientID : `nucleon-${functionName}-${name}`;
  if (clientId.length > 65535) problems.push({ path: at('clientID'), message: 'is longer than 65535 characters' });
  problems.push(...deliveryAttributeProblems(`spec.triggers.${name}`, attrs));
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid configuration for trigger ${name}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  const settings: MqttSettings = {
    url: url as string,
    safeUrl: redactUrl(url as string),
    subscriptions,
    clientId,
    cleanSession: attrs.cleanSession === true,
    protocolVersion: protocolVersion as 4 | 5,
    sessionExpiryInterval: typeof attrs.sessionExpiryInterval === 'number' ? attrs.sessionExpiryInterval : SESSION_NEVER_EXPIRES,
    keepAlive: typeof attrs.keepAlive === 'number' ? attrs.keepAlive : 60,
  };
  if (typeof attrs.username === 'string' && attrs.username !== '') settings.username = attrs.username;
  if (typeof attrs.password === 'string' && attrs.password !== '') settings.password = attrs.password;
  return settings;
}
