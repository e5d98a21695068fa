import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linesFrom, logPosition, readLogLines } from './log-file.js';
import { RotatingLog } from './rotating-log.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nucleon-rotate-'));
  file = join(dir, 'processor.log');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('RotatingLog', () => {
  it('rotates before a write would pass maxBytes and keeps at most `keep` old files', async () => {
    const log = new RotatingLog(file, { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 20; i++) log.writeLine(`line ${String(i).padStart(2, '0')} ${'x'.repeat(30)}`); // 39 bytes each
    log.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.slice(0, 7))).toEqual(['line 18', 'line 19']);
    expect(readFileSync(`${file}.1`, 'utf8')).toMatch(/^line 16.*\nline 17.*\n$/);
    expect(readFileSync(`${file}.2`, 'utf8')).toMatch(/^line 14/);
    expect(existsSync(`${file}.3`)).toBe(false);
    for (const f of [file, `${file}.1`, `${file}.2`]) {
      expect((await stat(f)).size).toBeLessThanOrEqual(100);
      expect((await stat(f)).mode & 0o777).toBe(0o600);
    }
  });

  it('appends to an existing file and counts its size', () => {
    new RotatingLog(file, { maxBytes: 1000, keep: 1 }).writeLine('first');
    const log = new RotatingLog(file, { maxBytes: 10, keep: 1 });
    log.writeLine('second');
    log.close();
    expect(readFileSync(`${file}.1`, 'utf8')).toBe('first\n');
    expect(readFileSync(file, 'utf8')).toBe('second\n');
  });
});

describe('linesFrom across rotation', () => {
  it('finds one attempt’s lines from its position even when the file was rotated since', async () => {
    const log = new RotatingLog(file, { maxBytes: 60, keep: 5 });
    log.writeLine('earlier attempt');
    const start = await logPosition(file);
    for (let i = 0; i < 6; i++) log.writeLine(`attempt line ${i} ${'y'.repeat(10)}`);
    log.close();
    expect(existsSync(`${file}.2`)).toBe(true);
    expect((await linesFrom(file, start)).map((l) => l.slice(0, 14))).toEqual(
      Array.from({ length: 6 }, (_, i) => `attempt line ${i}`));
  });

  it('reads from the offset when nothing rotated, and everything when the file was new', async () => {
    const log = new RotatingLog(file, { maxBytes: 1000, keep: 1 });
    const fresh = await logPosition(file);
    log.writeLine('a');
    const start = await logPosition(file);
    log.writeLine('b');
    log.close();
    expect(await linesFrom(file, start)).toEqual(['b']);
    expect(await linesFrom(join(dir, 'missing.log'), { ino: 0, offset: 0 })).toEqual([]);
    expect(await linesFrom(file, fresh)).toEqual(['a', 'b']);
  });
});

describe('readLogLines following a rotating log', () => {
  it('loses no line when the file is rotated under the reader', async () => {
    const log = new RotatingLog(file, { maxBytes: 200, keep: 3 });
    let writing = true;
    const seen: string[] = [];
    const reader = (async () => {
      for await (const line of readLogLines(file, { follow: true, pollMs: 5, writerAlive: () => writing })) seen.push(line);
    })();
    for (let i = 0; i < 40; i++) {
      log.writeLine(`line ${i} ${'z'.repeat(20)}`);
      if (i % 3 === 0) await new Promise((r) => setTimeout(r, 15));
    }
    await new Promise((r) => setTimeout(r, 50));
    writing = false;
    log.close();
    await reader;
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(seen.map((l) => l.split(' ')[1])).toEqual(Array.from({ length: 40 }, (_, i) => String(i)));
  });
});
