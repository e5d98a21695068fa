// No-op handler for the MQTT benchmark (bench/mqtt): the same work as the baseline subscriber.
exports.handler = (context, event) => '';
