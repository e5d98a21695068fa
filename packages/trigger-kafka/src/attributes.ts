import { deliveryAttributes, type AttributeSchema } from '@nucleon/core';

/**
 * The Kafka trigger's attributes: Nuclio's names and defaults (durations as Nuclio writes
 * them, `"10s"`), plus the delivery attributes every stream trigger shares (docs/delivery.md).
 * Brokers may also come from the trigger-level `url` (comma-separated), as in Nuclio.
 */
export const kafkaAttributes: AttributeSchema = {
  ...deliveryAttributes,
  brokers: { type: 'array', description: 'bootstrap brokers, host:port (or the trigger-level url)' },
  topics: { type: 'array', required: true, description: 'topics to consume' },
  consumerGroup: { type: 'string', required: true, description: 'consumer group id; replicas in one group split the partitions' },
  initialOffset: {
    type: 'string', enum: ['earliest', 'latest'], default: 'earliest',
    description: 'where a group with no committed offset starts',
  },
  sessionTimeout: { type: 'string', default: '10s', description: 'group session timeout (duration)' },
  heartbeatInterval: { type: 'string', default: '3s', description: 'group heartbeat interval (duration)' },
  rebalanceTimeout: { type: 'string', default: '60s', description: 'time members get to finish in-flight records and rejoin after a rebalance starts' },
  maxWaitTime: { type: 'string', default: '250ms', description: 'longest a fetch waits for fetchMin bytes (duration)' },
  fetchMin: { type: 'integer', minimum: 1, default: 1, description: 'minimum bytes a fetch waits for' },
  fetchDefault: { type: 'integer', minimum: 1, default: 1_048_576, description: 'bytes fetched per partition per request' },
  fetchMax: { type: 'integer', minimum: 0, default: 10_485_760, description: 'bytes fetched per request across partitions (0 = the broker default)' },
  workerAllocationMode: {
    type: 'string', enum: ['pool', 'static'], default: 'pool',
    description: 'pool: any free worker takes the next record of a partition; static is accepted and behaves as pool (no worker pinning yet)',
  },
  sasl: { type: 'object', description: '{enable, user, password, mechanism: plain|scram-sha-256|scram-sha-512}' },
  tls: { type: 'object', description: '{enable, insecureSkipVerify}; caCert, accessKey, accessCertificate as PEM text' },
  caCert: { type: 'string', description: 'PEM CA certificate for tls' },
  accessKey: { type: 'string', description: 'PEM client key for tls' },
  accessCertificate: { type: 'string', description: 'PEM client certificate for tls' },
  responseTopic: { type: 'string', description: 'publish each successful response body to this topic, keyed as the record' },
  clientId: { type: 'string', description: 'Kafka client id; default nucleon-<function>-<trigger>' },
  maxProcessingTime: { type: 'string', unsupported: true, description: 'Nuclio sarama setting; eventTimeout bounds a handler here' },
  rebalanceRetryMax: { type: 'integer', unsupported: true, description: 'Nuclio sarama setting; kafkajs retries joins itself' },
  channelBufferSize: { type: 'integer', unsupported: true, description: 'Nuclio sarama setting; fetch sizes bound what is buffered here' },
  maxWaitHandlerDuringRebalance: {
    type: 'string', unsupported: true,
    description: 'Nuclio lets a rebalance abandon a slow handler after it; Nucleon always drains in-flight records within rebalanceTimeout',
  },
};
