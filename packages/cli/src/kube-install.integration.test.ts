import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runNucleon, type CliResult } from './test-helpers/cli-process.js';

/** `nucleon kube install --dry-run`: the objects it would apply, printed, with no cluster needed. */
let home: string;
const nucleon = (...args: string[]): Promise<CliResult> =>
  runNucleon(args, { cwd: home, env: { ...process.env, NUCLEON_HOME: home, KUBECONFIG: join(home, 'none') } });

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-kube-dry-'));
});
afterAll(async () => rm(home, { recursive: true, force: true }));

describe('nucleon kube install --dry-run', () => {
  it('prints the CRD, namespace, account, RBAC, the controller and the scaler Deployments as YAML, without a cluster', async () => {
    const result = await nucleon('kube', 'install', '--dry-run', '--namespace', 'fns', '--registry', '127.0.0.1:5000');
    expect(result.code, result.stderr).toBe(0);
    const docs = parseAllDocuments(result.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => d.kind)).toEqual(['CustomResourceDefinition', 'Namespace', 'ServiceAccount', 'ClusterRole', 'RoleBinding', 'Deployment', 'Deployment']);
    expect(docs.map((d) => d.metadata.name).slice(-2)).toEqual(['nucleon-controller', 'nucleon-scaler']);
    expect(result.stdout).toMatch(/image: 127\.0\.0\.1:5000\/nucleon\/scaler:\d+\.\d+\.\d+/);
    const noScaler = await nucleon('kube', 'install', '--dry-run', '--namespace', 'fns', '--no-scaler');
    expect(parseAllDocuments(noScaler.stdout).map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name)).not.toContain('nucleon-scaler');
    expect(docs[0]!.metadata.name).toBe('nucliofunctions.nuclio.io');
    expect(result.stdout).toMatch(/image: 127\.0\.0\.1:5000\/nucleon\/controller:\d+\.\d+\.\d+/);
    expect(result.stdout).toContain('hostNetwork: true');
    // kubectl-ready field names, not client-node's model names.
    expect(result.stdout).toContain('x-kubernetes-preserve-unknown-fields: true');
    expect(result.stdout).not.toMatch(/x_kubernetes_|_enum:|_default:/);
  });
});
