import { describe, expect, it } from 'vitest';
import { exitOf } from '../test-helpers/exit-of.js';
import { overridesFrom } from './function-flags.js';
import { parseKeyValueList, parseKeyValueLists, parseJsonObjectFlag } from './key-value-flags.js';
import { mergeConfig } from './merge-config.js';


describe('nuctl key=value and JSON flags', () => {
  it('parses a=b,c=d lists, keeping "=" inside values and skipping empty entries', () => {
    expect(parseKeyValueList('--labels', 'team=a, tier=web,,url=http://x?y=z')).toEqual({ team: 'a', tier: 'web', url: 'http://x?y=z' });
    expect(parseKeyValueList('--labels', undefined)).toBeUndefined();
  });

  it('merges repeated --resource-limit entries, later ones winning', () => {
    expect(parseKeyValueLists('--resource-limit', ['cpu=1,memory=128Mi', 'cpu=2'])).toEqual({ cpu: '2', memory: '128Mi' });
    expect(parseKeyValueLists('--resource-limit', [])).toBeUndefined();
  });

  it('refuses entries without a name or "=" and JSON that is not an object (exit 2)', () => {
    expect(() => parseKeyValueList('--labels', 'team')).toThrow('--labels expects name=value[,name=value...], got "team"');
    expect(exitOf(() => parseKeyValueList('--annotations', '=x'))).toBe(2);
    expect(() => parseJsonObjectFlag('--runtime-attrs', '[1]', '{}')).toThrow(/--runtime-attrs must be a JSON object/);
    expect(exitOf(() => parseJsonObjectFlag('--runtime-attrs', '{x', '{}'))).toBe(2);
  });
});

describe('overridesFrom with nuctl deploy flags', () => {
  it('turns --logger-level into the processor\'s log level variable, after the -e entries', () => {
    expect(overridesFrom({ env: ['A=1'], loggerLevel: 'debug' }).env).toEqual([{ name: 'A', value: '1' }, { name: 'NUCLEON_LOG_LEVEL', value: 'debug' }]);
    expect(() => overridesFrom({ loggerLevel: 'loud' })).toThrow('--logger-level must be one of debug, info, warn, error, got "loud"');
  });

  it('maps every flag onto the configuration nuctl would write', () => {
    const overrides = overridesFrom({
      namespace: 'team-a', replicas: 2, minReplicas: 1, maxReplicas: 4, labels: 'a=1', annotations: 'note=x', desc: 'greets',
      buildCommand: ['pip install requests'], baseImage: 'python:3.11-slim', runtimeAttrs: '{"arguments":"-v"}',
      resourceLimit: ['cpu=1,memory=128Mi'], resourceRequest: ['cpu=250m'],
    });
    const file = {
      metadata: { name: 'f', labels: { keep: 'yes' } },
      spec: { runtime: 'python', handler: 'main:h', build: { commands: ['apt-get install -y jq'] }, resources: { limits: { 'nvidia.com/gpu': 1 } } },
    };
    expect(mergeConfig(file, overrides)).toEqual({
      metadata: { name: 'f', namespace: 'team-a', labels: { keep: 'yes', a: '1' }, annotations: { note: 'x' } },
      spec: {
        runtime: 'python', handler: 'main:h', replicas: 2, minReplicas: 1, maxReplicas: 4, description: 'greets',
        runtimeAttributes: { arguments: '-v' },
        resources: { limits: { 'nvidia.com/gpu': 1, cpu: '1', memory: '128Mi' }, requests: { cpu: '250m' } },
        build: { commands: ['apt-get install -y jq', 'pip install requests'], baseImage: 'python:3.11-slim' },
      },
    });
  });
});
