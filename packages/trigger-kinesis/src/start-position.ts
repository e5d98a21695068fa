import type { ShardCheckpoint } from './checkpoint-store.js';
import type { IteratorType } from './config.js';
import type { StartPosition } from './shard-reader.js';

/**
 * Where reading a shard begins, shared by the trigger and its backlog probe so both agree:
 * after the checkpoint; a child of a shard that was read starts at its oldest record; a shard
 * found after the first listing too (it is new, nothing of it was skipped); else
 * `iteratorType`. Undefined means LATEST: only records put from now on.
 */
export function startPositionOf(parents: readonly ShardCheckpoint[], checkpoint: string | undefined, first: boolean,
  iteratorType: IteratorType): StartPosition | undefined {
  if (checkpoint !== undefined) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: checkpoint };
  const parentRead = parents.some((p) => p.skipped !== true);
  if (parentRead || !first || iteratorType === 'TRIM_HORIZON') return { type: 'TRIM_HORIZON' };
  return undefined;
}
