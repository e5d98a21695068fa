import { describe, expect, it } from 'vitest';
import type { FunctionStatus } from '@nucleon/core';
import { outputFormat, renderStatuses } from './output.js';

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

  it('accepts nuctl\'s formats and refuses others', () => {
    expect(['text', 'wide', 'json', 'yaml', 'table'].map(outputFormat)).toEqual(['text', 'wide', 'json', 'yaml', 'table']);
    expect(() => outputFormat('xml')).toThrow(/table, text, wide, json, yaml/);
  });
});
