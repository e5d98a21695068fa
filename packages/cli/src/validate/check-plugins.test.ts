import { describe, expect, it } from 'vitest';
import { isNucleonError, validateFunctionConfig, ErrorCodes } from '@nucleon/core';
import { cliPackageDir } from '../package-paths.js';
import { checkPlugins } from './check-plugins.js';

const options = { functionDir: cliPackageDir(), searchPaths: [cliPackageDir()] };

function config(spec: Record<string, unknown>) {
  return validateFunctionConfig({ metadata: { name: 'f' }, spec: { handler: 'main:h', runtime: 'python', ...spec } }).config;
}

async function problemsOf(spec: Record<string, unknown>): Promise<string[]> {
  try {
    await checkPlugins(config(spec), options);
    return [];
  } catch (err) {
    if (!isNucleonError(err, ErrorCodes.INVALID_CONFIG)) throw err;
    return (err.details.problems ?? []).map((p) => `${p.path}: ${p.message}`);
  }
}

describe('checkPlugins (the plugins this CLI ships)', () => {
  it('passes a valid configuration, python:3.x included', async () => {
    expect(await problemsOf({ runtime: 'python:3.11', triggers: { web: { kind: 'http', attributes: { port: 8080 } } } })).toEqual([]);
  });

  it('reports a typo of a runtime and of a trigger kind with "did you mean", and every bad attribute, at once', async () => {
    const problems = await problemsOf({
      runtime: 'pyhton',
      triggers: { web: { kind: 'http', attributes: { prot: 1, port: 'x' } }, tick: { kind: 'corn' } },
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^spec\.runtime: unknown runtime "pyhton"; did you mean 'python'\?/);
    expect(problems).toContainEqual(expect.stringMatching(/^spec\.triggers\.web\.attributes\.prot: unknown attribute for @nucleon\/trigger-http/));
    expect(problems).toContainEqual('spec.triggers.web.attributes.port: expected a number, got a string (1 character)');
    expect(problems).toContainEqual(expect.stringMatching(/^spec\.triggers\.tick\.kind: unknown trigger kind "corn"; did you mean 'cron'\?/));
  });

  it('leaves third-party runtimes and triggers it cannot resolve to the processor', async () => {
    expect(await problemsOf({ runtime: '@acme/runtime-cobol', triggers: { q: { kind: 'acme-queue-trigger', attributes: { any: 1 } } } })).toEqual([]);
  });
});
