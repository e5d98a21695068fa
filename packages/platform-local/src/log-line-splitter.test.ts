import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogLineSplitter } from './log-line-splitter.js';

function splitter(maxLineBytes = 32, idleFlushMs = 500): { s: LogLineSplitter; lines: string[] } {
  const lines: string[] = [];
  return { s: new LogLineSplitter({ maxLineBytes, idleFlushMs }, (l) => lines.push(l)), lines };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LogLineSplitter', () => {
  it('emits complete lines across chunk boundaries and holds a partial one', () => {
    const { s, lines } = splitter();
    s.push(Buffer.from('one\ntw'));
    s.push(Buffer.from('o\r\nthr'));
    expect(lines).toEqual(['one', 'two']);
    s.flush();
    expect(lines).toEqual(['one', 'two', 'thr']);
    s.flush();
    expect(lines).toHaveLength(3);
  });

  it('cuts an over-long line, says how much was dropped, and keeps only the cap in memory', () => {
    const { s, lines } = splitter(10);
    s.push(Buffer.from('abcdefgh'));
    for (let i = 0; i < 1000; i++) s.push(Buffer.alloc(1024, 0x78));
    s.push(Buffer.from('yz\nnext\n'));
    expect(lines).toEqual([`abcdefghxx … [line cut: ${1000 * 1024 - 2 + 2} more bytes dropped]`, 'next']);
  });

  it('never splits a UTF-8 character at the cut', () => {
    const { s, lines } = splitter(5);
    s.push(Buffer.from('abcdé€\n'));
    expect(lines[0]).toMatch(/^abcd … \[line cut: 5 more bytes dropped\]$/);
  });

  it('flushes a partial line after the idle time', () => {
    vi.useFakeTimers();
    const { s, lines } = splitter(32, 500);
    s.push(Buffer.from('no newline'));
    vi.advanceTimersByTime(499);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toEqual(['no newline']);
  });
});
