import type { Event, Logger } from '@nucleon/core';

/** Called when an ACK frame arrives for `event`, which is still in flight; `logger` is the event's worker logger. */
export type AckListener = (event: Event, logger: Logger) => void;

/**
 * Acknowledges `event` at its source because its handler sent ACK. The trigger's delivery
 * policy attached `event.ack` only in `explicitAckMode` `enable` / `explicitOnly`; an event
 * without it (HTTP, `disable`) cannot be acked, and a wrapper that acks it anyway is a
 * handler mistake worth a warning, not a reason to break the connection. A failed ack is
 * logged and otherwise ignored: the record stays unacknowledged and the broker redelivers it,
 * which is the policy's business, not the wrapper's.
 */
export const ackFromWrapper: AckListener = (event, logger) => {
  const fields = { eventId: event.id, trigger: `${event.trigger.kind}/${event.trigger.name}` };
  if (event.ack === undefined) {
    logger.warnWith('the handler acknowledged an event that cannot be acknowledged explicitly' +
      ' (not a stream trigger, or explicitAckMode is disable); ignored', fields);
    return;
  }
  const failed = (err: unknown): void => logger.warnWith('explicit ack failed', { ...fields, error: (err as Error)?.message ?? String(err) });
  try {
    event.ack().catch(failed);
  } catch (err) {
    failed(err);
  }
};
