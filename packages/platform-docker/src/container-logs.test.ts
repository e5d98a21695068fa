import { describe, expect, it } from 'vitest';
import { LogLineSplitter } from './container-logs.js';
import { multiplexed } from './test-support/fake-docker.js';

describe('LogLineSplitter', () => {
  it('reassembles frames and lines cut anywhere by the transport', () => {
    const bytes = multiplexed(['first line', 'second line', 'ünïcode']);
    const splitter = new LogLineSplitter();
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 3) lines.push(...splitter.push(bytes.subarray(i, i + 3)));
    expect([...lines, ...splitter.end()]).toEqual(['first line', 'second line', 'ünïcode']);
  });

  it('keeps stdout and stderr partial lines apart and flushes unterminated ones at the end', () => {
    const frame = (stream: number, text: string): Buffer => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(Buffer.byteLength(text), 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    const splitter = new LogLineSplitter();
    const lines = splitter.push(Buffer.concat([frame(1, 'out-a'), frame(2, 'err-a\n'), frame(1, 'out-b\nlast')]));
    expect(lines).toEqual(['err-a', 'out-aout-b']);
    expect(splitter.end()).toEqual(['last']);
  });
});
