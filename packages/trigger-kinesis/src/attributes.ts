import { deliveryAttributes, type AttributeSchema } from '@nucleon/core';

/**
 * The Kinesis trigger's attributes: Nuclio's names and defaults (`iteratorType` LATEST,
 * `pollingPeriod` 500ms), Nucleon's extensions (`endpoint`, `batchSize`, checkpoints), and
 * the delivery attributes every stream trigger shares (docs/delivery.md).
 */
export const kinesisAttributes: AttributeSchema = {
  ...deliveryAttributes,
  streamName: { type: 'string', required: true, description: 'the Kinesis stream to read' },
  regionName: { type: 'string', description: 'AWS region; default AWS_REGION / AWS_DEFAULT_REGION (us-east-1 with endpoint)' },
  accessKeyID: { type: 'string', description: 'AWS access key id; absent = the standard AWS credential chain' },
  secretAccessKey: { type: 'string', description: 'AWS secret access key, with accessKeyID' },
  shards: { type: 'array', description: 'shard ids to read (and their child shards); absent = every shard' },
  iteratorType: {
    type: 'string', enum: ['LATEST', 'TRIM_HORIZON'], default: 'LATEST',
    description: 'where a shard with no checkpoint starts: LATEST (new records only) or TRIM_HORIZON (the oldest kept)',
  },
  pollingPeriod: { type: 'string', default: '500ms', description: 'wait after a GetRecords that returned nothing (duration)' },
  endpoint: { type: 'string', description: 'Kinesis endpoint URL (kinesalite, LocalStack); default the AWS endpoint of the region' },
  batchSize: { type: 'integer', minimum: 1, default: 1000, description: 'GetRecords Limit: most records read per request (<= 10000)' },
  checkpointDir: {
    type: 'string',
    description: 'folder of the durable checkpoints; default $NUCLEON_HOME/kinesis-checkpoints/<function>/<trigger>, ' +
      'else ${XDG_STATE_HOME:-~/.local/state}/nucleon/kinesis-checkpoints/<function>/<trigger>',
  },
  checkpointInterval: {
    type: 'string', default: '1s',
    description: 'how often handled sequence numbers are written (duration); bounds what a crash replays',
  },
  shardSyncInterval: { type: 'string', default: '10s', description: 'how often the shard list is read again to find new shards (duration)' },
};
