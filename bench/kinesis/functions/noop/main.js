// No-op handler for the Kinesis benchmark (bench/kinesis): the same work as the baseline loop.
export const handler = (context, event) => '';
