import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { FunctionStatus } from '@nucleon/core';
import { outputFormat, renderStatuses } from './output.js';

const statuses: FunctionStatus[] = [
  { name: 'hello', platform: 'local', state: 'ready', url: 'http://127.0.0.1:1234', runtime: 'nodejs', handler: 'main:handler', createdAt: 't' },
  { name: 'cron-only', platform: 'local', state: 'stopped', runtime: 'typescript', handler: 'main:handler', createdAt: 't' },
];

describe('renderStatuses', () => {
  it('renders an aligned NAME STATE URL RUNTIME table', () => {
    expect(renderStatuses(statuses, 'table')).toBe(
      'NAME        STATE     URL                     RUNTIME\n' +
      'hello       ready     http://127.0.0.1:1234   nodejs\n' +
      'cron-only   stopped   -                       typescript\n');
  });

  it('renders JSON and YAML that parse back, one object for a single function', () => {
    expect(JSON.parse(renderStatuses(statuses, 'json'))).toEqual(statuses);
    expect(parse(renderStatuses(statuses, 'yaml'))).toEqual(statuses);
    expect(JSON.parse(renderStatuses([statuses[0]!], 'json', true))).toEqual(statuses[0]);
  });

  it('refuses an unknown output format', () => {
    expect(() => outputFormat('xml')).toThrow(/table, json, yaml/);
  });
});
