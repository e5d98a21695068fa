import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import type { Logger } from '@nucleon/core';
import type { KafkaSettings } from './config.js';

/** How long one connection attempt may take, and how often start retries before it fails. */
const CONNECTION_TIMEOUT_MS = 3_000;
const START_RETRIES = 3;

/**
 * kafkajs log lines go to the trigger's logger: errors and warnings as they are, kafkajs's
 * chatty info lines (joins, commits) at debug, its debug lines nowhere.
 */
function logCreator(logger: Logger) {
  return () => ({ level, log }: LogEntry): void => {
    const { message, ...fields } = log;
    const line = `kafka: ${message}`;
    if (level === logLevel.ERROR) logger.errorWith(line, fields);
    else if (level === logLevel.WARN) logger.warnWith(line, fields);
    else if (level === logLevel.INFO) logger.debugWith(line, fields);
  };
}

/** The kafkajs client for one trigger: brokers, TLS and SASL from the settings, logs to the trigger's logger. */
export function createKafkaClient(settings: KafkaSettings, logger: Logger): Kafka {
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    retry: { retries: START_RETRIES, initialRetryTime: 300, maxRetryTime: 5_000 },
    logLevel: logLevel.INFO,
    logCreator: logCreator(logger),
  };
  if (settings.tls) config.ssl = settings.tls;
  if (settings.sasl) config.sasl = settings.sasl as SASLOptions;
  return new Kafka(config);
}
