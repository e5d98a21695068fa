import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileCheckpointStore } from './checkpoint-store.js';

describe('FileCheckpointStore', () => {
  it('keeps handled sequence numbers in memory until flushed, then a new store reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kcp-'));
    const store = new FileCheckpointStore(dir, 'orders');
    await store.open();
    store.handled('shardId-000000000000', '100');
    store.handled('shardId-000000000000', '101');
    expect(await new FileCheckpointStore(dir, 'orders').load('shardId-000000000000')).toEqual({});
    await store.flush();
    expect(await new FileCheckpointStore(dir, 'orders').load('shardId-000000000000')).toEqual({ sequenceNumber: '101' });
    // No temporary file is left behind by the write-then-rename.
    expect(readdirSync(join(dir, 'orders')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a shard end at once, and remembers it after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kcp-'));
    const store = new FileCheckpointStore(dir, 'orders');
    await store.open();
    store.handled('shardId-000000000001', '7');
    await store.ended('shardId-000000000001');
    const again = new FileCheckpointStore(dir, 'orders');
    expect(await again.load('shardId-000000000001')).toEqual({ sequenceNumber: '7', ended: true });
    expect(again.isEnded('shardId-000000000001')).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'orders', 'shardId-000000000001.json'), 'utf8'))).toMatchObject({ shardId: 'shardId-000000000001' });
  });
});
