import { describe, expect, it } from 'vitest';
import { findProcessorFailure } from './processor-failure.js';

const line = (fields: Record<string, unknown>) => JSON.stringify({ level: 'info', time: 't', ...fields });

describe('findProcessorFailure', () => {
  it("reads the code and message of the processor's startup failure line", () => {
    const lines = ['plain text', line({ msg: 'configuration warning' }),
      line({ level: 'error', msg: 'processor failed to start', code: 'NUCLEON_ERR_INVALID_CONFIG', error: 'bad attribute' }),
      'nucleon-processor: NUCLEON_ERR_INVALID_CONFIG: bad attribute'];
    expect(findProcessorFailure(lines)).toEqual({ code: 'NUCLEON_ERR_INVALID_CONFIG', message: 'bad attribute' });
  });

  it('keeps the message but not an unknown code (UNEXPECTED) of a startup failure', () => {
    expect(findProcessorFailure([line({ msg: 'processor failed to start', code: 'UNEXPECTED', error: 'boom' })]))
      .toEqual({ code: 'NUCLEON_ERR_DEPLOY_FAILED', message: 'boom' });
  });

  it('falls back to the last coded error line, and finds nothing in uncoded output', () => {
    expect(findProcessorFailure([line({ level: 'error', msg: 'wrapper died', code: 'NUCLEON_ERR_WRAPPER_CRASHED' })]))
      .toEqual({ code: 'NUCLEON_ERR_WRAPPER_CRASHED', message: 'wrapper died' });
    expect(findProcessorFailure(['Segmentation fault', '{not json', line({ level: 'error', msg: 'no code' })])).toBeUndefined();
  });
});
