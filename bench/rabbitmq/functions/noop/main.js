// No-op handler for the RabbitMQ benchmark (bench/rabbitmq): the same work as the baseline consumer.
exports.handler = (context, event) => '';
