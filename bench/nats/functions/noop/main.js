// No-op handler for the NATS benchmark (bench/nats): the same work as the baseline consumer.
exports.handler = (context, event) => '';
