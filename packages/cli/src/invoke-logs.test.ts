import { describe, expect, it } from 'vitest';
import { exitCodeFor } from './errors.js';
import { invokeLogLevel, invokeTimeout, requestLogLines } from './invoke-logs.js';

const at = (ms: number): string => new Date(ms).toISOString();
const line = (ms: number, level: string, msg: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ level, time: at(ms), pid: 1, function: 'f', msg, ...extra });

describe('requestLogLines', () => {
  const lines = [
    line(1000, 'info', 'processor ready'),
    line(2000, 'debug', 'handling', { eventId: 'e1' }),
    line(2001, 'info', 'done'),
    'not json',
    line(2002, 'error', 'failed', { err: 'x' }),
    line(5000, 'info', 'a later request'),
  ];

  it('picks the lines logged during the request at the level or above, fields kept', () => {
    expect(requestLogLines(lines, 'debug', 1500, 3000)).toEqual([
      `${at(2000)} DEBUG handling {"eventId":"e1"}`, `${at(2001)} INFO done`, `${at(2002)} ERROR failed {"err":"x"}`,
    ]);
    expect(requestLogLines(lines, 'warn', 1500, 3000)).toEqual([`${at(2002)} ERROR failed {"err":"x"}`]);
    expect(requestLogLines(lines, 'info', 6000, 7000)).toEqual([]);
  });
});

describe('invoke flags', () => {
  it('reads -t as a Go duration or plain seconds', () => {
    expect(invokeTimeout('30s')).toBe(30_000);
    expect(invokeTimeout('1m')).toBe(60_000);
    expect(invokeTimeout('500ms')).toBe(500);
    expect(invokeTimeout('2')).toBe(2000);
    expect(invokeTimeout('1.5')).toBe(1500);
  });

  it('refuses a -t that is no positive duration and an unknown -l (exit 2)', () => {
    for (const bad of ['soon', '0', '-1s', '']) {
      let code = 0;
      try {
        invokeTimeout(bad);
      } catch (err) {
        code = exitCodeFor(err);
      }
      expect(code).toBe(2);
    }
    expect(invokeLogLevel('debug')).toBe('debug');
    expect(() => invokeLogLevel('verbose')).toThrow('-l/--log-level must be one of none, debug, info, warn, error, got "verbose"');
  });
});
