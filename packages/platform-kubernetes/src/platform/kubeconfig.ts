import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createError, ErrorCodes } from '@nucleon/core';

/** Where a pod finds its service account's token. */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The pod's own service account, namespace and API server (`KUBERNETES_SERVICE_HOST`/`PORT`). */
function inCluster(): LoadedKubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromCluster();
  const cluster = kubeConfig.getCurrentCluster();
  return { kubeConfig, source: 'in-cluster (service account)', context: kubeConfig.getCurrentContext(), server: cluster?.server ?? '' };
}

/** Where Nucleon's own cluster scripts keep things: `$NUCLEON_CACHE`, else `~/.cache/nucleon`. */
export function nucleonCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NUCLEON_CACHE || join(env.HOME || homedir(), '.cache', 'nucleon');
}

/** The admin kubeconfig `scripts/services/kubernetes.sh start` writes for its local cluster. */
export function localClusterKubeconfig(env: NodeJS.ProcessEnv = process.env): string {
  return join(nucleonCacheDir(env), 'kubernetes-data', 'admin.kubeconfig');
}

/** What {@link loadKubeConfig} reads: an explicit file and context win over the usual places. */
export interface KubeConfigChoice {
  /** `--kubeconfig`: one file, used as given. */
  kubeconfig?: string;
  /** `--context`: a context of that file; default its current-context. */
  context?: string;
}

/** A loaded kubeconfig and the facts messages need: which file, which server, which namespace. */
export interface LoadedKubeConfig {
  kubeConfig: KubeConfig;
  /** The file (or `KUBECONFIG` list) it came from. */
  source: string;
  context: string;
  /** The API server of the context's cluster. */
  server: string;
  /** The context's namespace, when it names one. */
  namespace?: string;
}

/**
 * The places looked at, in order: `--kubeconfig`, `KUBECONFIG` (a path list, merged as
 * kubectl does), `~/.kube/config`, then the local cluster's admin kubeconfig.
 */
export function kubeconfigCandidates(choice: KubeConfigChoice = {}, env: NodeJS.ProcessEnv = process.env): string[] {
  if (choice.kubeconfig) return [choice.kubeconfig];
  const fromEnv = env.KUBECONFIG ? [env.KUBECONFIG] : [];
  return [...fromEnv, join(env.HOME || homedir(), '.kube', 'config'), localClusterKubeconfig(env)];
}

/**
 * Loads the first kubeconfig found in {@link kubeconfigCandidates} and selects the context.
 * Throws NUCLEON_ERR_KUBECONFIG_NOT_FOUND naming every place looked at, or when the file
 * has no such context or no cluster.
 */
export function loadKubeConfig(choice: KubeConfigChoice = {}, env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig {
  const candidates = kubeconfigCandidates(choice, env);
  const source = candidates.find((candidate) => candidate.split(delimiter).some((file) => file !== '' && existsSync(file)));
  // In a pod (the in-cluster scaler) with no kubeconfig: its service account.
  if (!source && !choice.kubeconfig && env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) return inCluster();
  if (!source) {
    throw createError(ErrorCodes.KUBECONFIG_NOT_FOUND,
      `no kubeconfig found (looked at ${candidates.join(', ')}); pass --kubeconfig, set KUBECONFIG, or start the local cluster with \`bash scripts/services/kubernetes.sh start\``);
  }
  const kubeConfig = new KubeConfig();
  try {
    const [first, ...rest] = source.split(delimiter).filter((file) => file !== '' && existsSync(file)) as [string, ...string[]];
    kubeConfig.loadFromFile(first);
    // Several KUBECONFIG files merge, the first one's current-context winning, as in kubectl.
    for (const file of rest) mergeKubeConfig(kubeConfig, file);
  } catch (err) {
    throw createError(ErrorCodes.KUBECONFIG_NOT_FOUND, `cannot read the kubeconfig ${source}: ${(err as Error).message}`, { cause: err });
  }
  if (choice.context) {
    if (!kubeConfig.getContextObject(choice.context)) {
      throw createError(ErrorCodes.KUBECONFIG_NOT_FOUND,
        `the kubeconfig ${source} has no context "${choice.context}" (it has: ${kubeConfig.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kubeConfig.setCurrentContext(choice.context);
  }
  const context = kubeConfig.getCurrentContext();
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw createError(ErrorCodes.KUBECONFIG_NOT_FOUND, `the kubeconfig ${source} has no cluster for context "${context}"`);
  }
  const namespace = kubeConfig.getContextObject(context)?.namespace;
  return { kubeConfig, source, context, server: cluster.server, ...(namespace ? { namespace } : {}) };
}

/**
 * Adds the entries of `file` that `into` lacks: as kubectl, an entry named in two files is the
 * first file's, and the first current-context set wins (client-node's mergeConfig throws on a
 * name given twice instead).
 */
function mergeKubeConfig(into: KubeConfig, file: string): void {
  const more = new KubeConfig();
  more.loadFromFile(file);
  for (const cluster of more.getClusters()) if (!into.getCluster(cluster.name)) into.addCluster(cluster);
  for (const user of more.getUsers()) if (!into.getUser(user.name)) into.addUser(user);
  for (const context of more.getContexts()) if (!into.getContextObject(context.name)) into.addContext(context);
  if (!into.getCurrentContext()) into.setCurrentContext(more.getCurrentContext());
}
