// No-op handler for the Kafka benchmark (bench/kafka): the same work as the baseline consumer.
exports.handler = (context, event) => '';
