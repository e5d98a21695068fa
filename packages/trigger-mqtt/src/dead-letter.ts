import type { EncodedDeadLetter } from '@nucleon/core';

/**
 * The MQTT 3.1.1 dead letter: MQTT 3.1.1 has no message properties, so the original body and
 * the headers (`x-nucleon-*` included) travel in one JSON object. MQTT 5 dead letters need no
 * envelope: the body is published unchanged with the headers as user properties.
 */
export interface DeadLetterEnvelope {
  /** Always `nucleon-dead-letter/1`, to tell an envelope from a plain JSON payload. */
  format: 'nucleon-dead-letter/1';
  headers: Record<string, string | string[]>;
  /** The original payload, base64: MQTT payloads are bytes. */
  body: string;
}

/** Encodes the MQTT 3.1.1 envelope of a dead letter. */
export function deadLetterEnvelope(letter: EncodedDeadLetter): Buffer {
  const envelope: DeadLetterEnvelope = { format: 'nucleon-dead-letter/1', headers: letter.headers, body: letter.body.toString('base64') };
  return Buffer.from(JSON.stringify(envelope));
}
