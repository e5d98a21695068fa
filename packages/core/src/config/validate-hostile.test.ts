import { describe, expect, it } from 'vitest';
import { isNucleonError, type ConfigProblem } from '../errors.js';
import { parseFunctionConfigText } from './parse.js';
import { validateFunctionConfig } from './validate.js';

/** Lines of files that are not a function.yaml (a shadow file, a token file), and secret values. */
const SECRETS = [
  'root:$6$Zq9salt$ab12cd34ef56:19000:0:99999:7:::',
  'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'hunter2',
];

function problemsOf(raw: unknown): { errors: ConfigProblem[]; warnings: ConfigProblem[] } {
  try {
    return { errors: [], warnings: validateFunctionConfig(raw, { defaultName: 'fn' }).warnings };
  } catch (err) {
    if (!isNucleonError(err)) throw err;
    return { errors: err.details.problems ?? [], warnings: (err.details.warnings as ConfigProblem[] | undefined) ?? [] };
  }
}

function text(problems: { errors: ConfigProblem[]; warnings: ConfigProblem[] }): string {
  return [...problems.errors, ...problems.warnings].map((p) => `${p.path}: ${p.message}`).join('\n');
}

describe('problems never carry the file\'s content', () => {
  it('warns about the lines of a shadow file read as a function.yaml without printing them', () => {
    const yaml = `${SECRETS[0]}\ndaemon:*:19000:0:99999:7:::\nspec:\n  runtime: nodejs\n`;
    const problems = problemsOf(parseFunctionConfigText(yaml));
    expect(problems.warnings).toEqual([
      { path: '(root)[a key of 46 characters that is not a field name]', message: 'unknown top-level field, ignored' },
      { path: '(root)[a key of 26 characters that is not a field name]', message: 'unknown top-level field, ignored' },
    ]);
    expect(text(problems)).not.toMatch(/Zq9salt|daemon/);
  });

  it('names fields, never their values, in errors and warnings anywhere in the file', () => {
    const [, token, key, password] = SECRETS;
    const problems = problemsOf({
      apiVersion: token, kind: key,
      metadata: { name: password, labels: { team: [password] }, annotations: { a: { b: token } } },
      spec: {
        runtime: 'nodejs', handler: 42, eventTimeout: password, description: [key],
        env: [{ name: 'API_TOKEN', value: { nested: token } }, { name: 'X', value: password, note: key }],
        resources: { limits: { cpu: password, memory: token, 'nvidia.com/gpu': key } },
        triggers: { web: { kind: 'http', explicitAckMode: password, disable: token, batch: { mode: key, timeout: password } } },
        build: { commands: [password, 1], baseImage: [token] },
      },
    });
    expect(problems.errors.length).toBeGreaterThan(10);
    for (const secret of SECRETS) expect(text(problems)).not.toContain(secret);
  });

  it('cuts a long key and escapes its control characters', () => {
    const problems = problemsOf({ spec: { runtime: 'nodejs', triggers: { [`evil\u001b[2J${'k'.repeat(100)}`]: 'x' } } });
    expect(problems.errors).toEqual([{
      path: `spec.triggers["evil\\u001b[2J${'k'.repeat(32)}…"]`, message: 'expected a mapping with kind and attributes, got a string (1 character)',
    }]);
  });
});

describe('spec.env names (Kubernetes\' rule: letters, digits, _, - and ., not starting with a digit)', () => {
  it.each(['bad name', '1ST', 'A=B', 'TAB\tNAME', 'ünicode'])('refuses %j in the same problem list as other errors', (name) => {
    const problems = problemsOf({ spec: { runtime: 'nodejs', minReplicas: -1, env: [{ name: 'OK', value: '1' }, { name, value: 'v' }] } });
    expect(problems.errors).toEqual([
      { path: 'spec.env[1].name', message: 'is not a valid environment variable name: letters, digits, "_", "-" and ".", not starting with a digit (Kubernetes\' rule)' },
      { path: 'spec.minReplicas', message: 'expected a whole number >= 0, got a number below 0' },
    ]);
  });

  it.each(['A', '_PRIVATE', 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1', '-dash'])('accepts %j', (name) => {
    expect(problemsOf({ spec: { runtime: 'nodejs', env: [{ name, value: 'v' }] } }).errors).toEqual([]);
  });
});
