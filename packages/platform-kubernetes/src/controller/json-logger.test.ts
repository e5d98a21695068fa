import { describe, expect, it } from 'vitest';
import { jsonLogger } from './json-logger.js';

describe('jsonLogger', () => {
  it('writes one JSON object per line with level, message, bound and extra fields', () => {
    const lines: string[] = [];
    const logger = jsonLogger({ component: 'c' }, (line) => lines.push(line)).child({ ns: 'team' });
    logger.info('created Deployment team/nuclio-hello');
    logger.errorWith('reconcile failed', { error: 'boom' });
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ level: 'info', msg: 'created Deployment team/nuclio-hello', component: 'c', ns: 'team' });
    expect(second).toMatchObject({ level: 'error', msg: 'reconcile failed', error: 'boom' });
    expect(typeof first.time).toBe('string');
  });
});
