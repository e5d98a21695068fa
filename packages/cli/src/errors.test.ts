import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { createError, ErrorCodes } from '@nucleon/core';
import { ExitCodes, exitCodeFor, formatError } from './errors.js';

describe('exitCodeFor', () => {
  it('maps error codes to the documented exit codes', () => {
    expect(exitCodeFor(createError(ErrorCodes.USAGE, 'x'))).toBe(ExitCodes.USAGE);
    expect(exitCodeFor(createError(ErrorCodes.FUNCTION_NOT_FOUND, 'x'))).toBe(ExitCodes.NOT_FOUND);
    for (const code of [ErrorCodes.INVALID_CONFIG, ErrorCodes.CONFIG_PARSE, ErrorCodes.UNKNOWN_RUNTIME, ErrorCodes.UNKNOWN_TRIGGER_KIND]) {
      expect(exitCodeFor(createError(code, 'x'))).toBe(ExitCodes.INVALID_CONFIG);
    }
    expect(exitCodeFor(createError(ErrorCodes.DEPLOY_FAILED, 'x'))).toBe(ExitCodes.FAILED);
    expect(exitCodeFor(new Error('boom'))).toBe(ExitCodes.FAILED);
  });

  it('treats commander parse errors as usage errors and help as success', () => {
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(2);
    expect(exitCodeFor(new CommanderError(0, 'commander.helpDisplayed', 'x'))).toBe(0);
  });
});

describe('formatError', () => {
  it('prints "error: <message>" without a stack unless NUCLEON_DEBUG=1', () => {
    const err = createError(ErrorCodes.DEPLOY_FAILED, 'it broke');
    expect(formatError(err, {})).toBe('error: it broke\n');
    expect(formatError(err, { NUCLEON_DEBUG: '1' })).toMatch(/^error: it broke \[NUCLEON_ERR_DEPLOY_FAILED\]\nNucleonError: it broke\n\s+at /);
  });

  it('prints nothing for commander errors, which commander already reported', () => {
    expect(formatError(new CommanderError(1, 'commander.unknownOption', 'x'), {})).toBe('');
  });
});
