import { describe, expect, it } from 'vitest';
import { DeployTracker } from './deploy-tracker.js';

async function collect(tracker: DeployTracker, name: string): Promise<string[]> {
  const seen: string[] = [];
  for await (const e of tracker.follow(name)) seen.push(e.type === 'progress' ? e.message : e.type);
  return seen;
}

describe('DeployTracker', () => {
  it('runs one deploy per name at a time', () => {
    const tracker = new DeployTracker();
    expect(tracker.begin('f')).toBe(true);
    expect(tracker.begin('f')).toBe(false);
    expect(tracker.begin('g')).toBe(true);
    tracker.fail('f', 'boom');
    expect(tracker.begin('f')).toBe(true);
  });

  it('replays a finished deploy to a late reader and ends at done', async () => {
    const tracker = new DeployTracker();
    tracker.begin('f');
    tracker.progress('f', 'building');
    tracker.succeed('f', { state: 'ready' });
    expect(await collect(tracker, 'f')).toEqual(['building', 'done']);
  });

  it('follows a running deploy to its failure', async () => {
    const tracker = new DeployTracker();
    tracker.begin('f');
    const reading = collect(tracker, 'f');
    tracker.progress('f', 'starting');
    await new Promise((resolve) => setImmediate(resolve));
    tracker.fail('f', 'syntax error');
    expect(await reading).toEqual(['starting', 'failed']);
    expect(tracker.get('f')).toMatchObject({ state: 'failed', error: 'syntax error' });
  });

  it('still reaches the end of a deploy that logged more lines than it keeps', async () => {
    const tracker = new DeployTracker();
    tracker.begin('f');
    for (let i = 0; i < 500; i += 1) tracker.progress('f', `early ${i}`);
    const reader = tracker.follow('f');
    for (let i = 0; i < 500; i += 1) await reader.next(); // caught up with a full window
    const rest: string[] = [];
    const reading = (async () => { for await (const e of reader) rest.push(e.type === 'progress' ? e.message : e.type); })();
    for (let i = 0; i < 10; i += 1) {
      tracker.progress('f', `late ${i}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    tracker.succeed('f', { state: 'ready' });
    await reading;
    expect(rest).toEqual([...Array.from({ length: 10 }, (_, i) => `late ${i}`), 'done']);
    const replay = await collect(tracker, 'f');
    expect(replay).toHaveLength(500);
    expect(replay.at(-1)).toBe('done');
  }, 5000);
});
