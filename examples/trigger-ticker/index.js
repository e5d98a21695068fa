// nucleon-trigger-ticker: a third-party Nucleon trigger in plain JavaScript, no build step.
//
// It imports nothing from @nucleon/core at run time: the default export is a plain object
// that matches the TriggerPlugin contract, and the processor that loads it brings its own
// core. The JSDoc `import()` types below are for editors only and cost nothing at run time.

import { randomUUID } from 'node:crypto';

/** @typedef {import('@nucleon/core').TriggerPlugin} TriggerPlugin */
/** @typedef {import('@nucleon/core').TriggerCreateOptions} TriggerCreateOptions */
/** @typedef {import('@nucleon/core').Trigger} Trigger */
/** @typedef {import('@nucleon/core').Event} Event */

/** @type {TriggerPlugin} */
const tickerTrigger = {
  kind: 'trigger',
  name: 'nucleon-trigger-ticker',
  // The @nucleon/core versions this plugin was written against; the processor refuses to
  // load it (NUCLEON_ERR_PLUGIN_CORE_RANGE) when its core is outside this range.
  coreRange: '^0.1.0',
  // Validated by the processor before create() is called: wrong types, values below the
  // minimum and unknown attribute names are configuration errors; defaults are filled in.
  attributes: {
    intervalMs: { type: 'integer', minimum: 1, default: 1000, description: 'Milliseconds between two events' },
    body: { type: 'string', default: 'tick', description: 'Body of every event (sent as text/plain)' },
    count: { type: 'integer', minimum: 0, default: 0, description: 'How many events to send in all; 0 = unlimited' },
  },
  defaultWorkers: 1,

  /**
   * @param {TriggerCreateOptions} options
   * @returns {Trigger}
   */
  create({ name, config, submitter, logger }) {
    const intervalMs = /** @type {number} */ (config.attributes.intervalMs);
    const body = Buffer.from(/** @type {string} */ (config.attributes.body));
    const count = /** @type {number} */ (config.attributes.count);
    const workers = config.numWorkers ?? 1;
    /** @type {Set<Promise<void>>} */
    const inFlight = new Set();
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    let sent = 0;
    let stopping = false;

    const tick = () => {
      if (stopping) return;
      if (count > 0 && sent >= count) {
        clearInterval(timer);
        return;
      }
      // Back-pressure: a tick that finds every worker busy is skipped rather than queued,
      // so a slow handler never builds up a backlog of stale ticks.
      if (inFlight.size >= workers) {
        logger.debugWith('tick skipped: every worker is busy', { inFlight: inFlight.size });
        return;
      }
      sent += 1;
      const seq = sent;
      /** @type {Event} */
      const event = {
        id: randomUUID(),
        body,
        contentType: 'text/plain',
        headers: {},
        fields: {},
        method: 'POST',
        path: '/',
        url: '/',
        timestamp: new Date(),
        trigger: { kind: config.kind, name },
      };
      const done = submitter.submit(event).then(
        () => undefined,
        // The processor has logged the handler's own error already; this line says which
        // tick was lost and why (busy, timed out, shutting down, handler failed).
        (err) => logger.warnWith('tick failed', { tick: seq, eventId: event.id, code: err?.code, error: err?.message }),
      ).finally(() => inFlight.delete(done));
      inFlight.add(done);
    };

    return {
      async start() {
        timer = setInterval(tick, intervalMs);
        logger.infoWith('ticker started', { intervalMs, count, workers });
      },

      async stop(deadlineMs) {
        stopping = true;
        clearInterval(timer);
        // Submitted events still run: wait for them, but never past the deadline.
        /** @type {NodeJS.Timeout | undefined} */
        let deadline;
        const timedOut = new Promise((resolve) => { deadline = setTimeout(resolve, deadlineMs, 'timeout'); });
        const outcome = await Promise.race([Promise.allSettled([...inFlight]), timedOut]);
        clearTimeout(deadline);
        if (outcome === 'timeout') logger.warnWith('ticker stopped with events still in flight', { inFlight: inFlight.size });
        logger.infoWith('ticker stopped', { sent });
      },
    };
  },
};

export default tickerTrigger;
