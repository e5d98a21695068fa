import { describe, expect, it } from 'vitest';
import type { FunctionStatus } from '@nucleon/core';
import { outputFormat, renderStatuses, urlsOf } from './output.js';

const statuses: FunctionStatus[] = [
  { name: 'hello', platform: 'local', state: 'ready', url: 'http://127.0.0.1:1234', runtime: 'nodejs', handler: 'main:handler', createdAt: 't' },
  { name: 'cron-only', platform: 'local', state: 'stopped', runtime: 'typescript', handler: 'main:handler', createdAt: 't' },
];

describe('renderStatuses', () => {
  it('renders an aligned NAME STATE URL RUNTIME table', () => {
    expect(renderStatuses(statuses)).toBe(
      'NAME        STATE     URL                     RUNTIME\n' +
      'hello       ready     http://127.0.0.1:1234   nodejs\n' +
      'cron-only   stopped   -                       typescript\n');
  });

  it('shows the first URL and +N for a function that listens on N more addresses', () => {
    const two: FunctionStatus = {
      ...statuses[0]!, addresses: [{ trigger: 'a', kind: 'http', url: 'http://127.0.0.1:1234' }, { trigger: 'b', kind: 'http', url: 'http://127.0.0.1:5678' }],
    };
    expect(renderStatuses([two])).toBe(
      'NAME    STATE   URL                        RUNTIME\n' +
      'hello   ready   http://127.0.0.1:1234 +1   nodejs\n');
  });

  it('accepts nuctl\'s formats and refuses others', () => {
    expect(['text', 'wide', 'json', 'yaml', 'table'].map(outputFormat)).toEqual(['text', 'wide', 'json', 'yaml', 'table']);
    expect(() => outputFormat('xml')).toThrow(/table, text, wide, json, yaml/);
  });
});

describe('urlsOf', () => {
  it('puts the main url first and lists every other address once', () => {
    expect(urlsOf({ url: 'http://a:1', addresses: [{ trigger: 'x', kind: 'http', url: 'http://b:2' }, { trigger: 'y', kind: 'http', url: 'http://a:1' }] }))
      .toEqual(['http://a:1', 'http://b:2']);
    expect(urlsOf({ addresses: [{ trigger: 'x', kind: 'http', url: 'http://b:2' }] })).toEqual(['http://b:2']);
    expect(urlsOf({})).toEqual([]);
  });
});
