import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@nucleon/core';
import { statusCodeOf, type KubeClient, type KubeObject } from './kube-client.js';
import { LEASES } from './kube-resources.js';

export const LEASE_NAME = 'nucleon-controller';

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  identity: string;
  logger: Logger;
  leaseName?: string;
  /** How long a lease holds without renewal (default 15 s). */
  leaseDurationSeconds?: number;
  /** How often the leader renews (default 5 s). */
  renewPeriodMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading (default 10 s). */
  renewDeadlineMs?: number;
  /** How often a candidate (or a failing renewal) tries again (default 2 s). */
  retryPeriodMs?: number;
  /** The clock; tests inject one. */
  now?: () => number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
type Lease = KubeObject & { spec?: LeaseSpec };

/** `<hostname>-<pid>-<random>`: unique per process, readable in `kubectl get lease`. */
export function holderIdentity(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** A MicroTime as the API wants it: RFC 3339 with six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, client-go's algorithm: a candidate
 * takes the lease when it is free or its holder has not renewed it for leaseDurationSeconds
 * (judged by when *we* last saw it change, so clocks need not agree); every write carries
 * the resourceVersion it read, so of two candidates one gets a 409 and stays standby. The
 * leader renews every renewPeriod; when it cannot for renewDeadline it stops leading.
 */
export class LeaderElector {
  private readonly leaseName: string;
  private readonly leaseDurationSeconds: number;
  private readonly renewPeriodMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly now: () => number;
  private observed?: { record: string; at: number };
  private leading = false;
  private lastRenewAt = 0;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(private readonly options: LeaderElectionOptions) {
    this.leaseName = options.leaseName ?? LEASE_NAME;
    this.leaseDurationSeconds = options.leaseDurationSeconds ?? 15;
    this.renewPeriodMs = options.renewPeriodMs ?? 5_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether this process holds the lease now (and has renewed it within the deadline). */
  isLeading(): boolean {
    return this.leading && !this.stopped && this.now() - this.lastRenewAt < this.renewDeadlineMs;
  }

  /**
   * Campaigns until leading, calls `onStartedLeading`, then renews until stopped (resolves
   * 'stopped') or until renewal fails past the deadline (calls `onStoppedLeading` first,
   * then resolves 'lost').
   */
  async run(callbacks: { onStartedLeading: () => void | Promise<void>; onStoppedLeading: () => void }): Promise<'stopped' | 'lost'> {
    const { logger, identity, namespace } = this.options;
    while (!this.stopped && !(await this.tryAcquireOrRenew())) await this.sleep(this.retryPeriodMs);
    if (this.stopped) return 'stopped';
    logger.info(`became leader: lease ${namespace}/${this.leaseName} held by ${identity}`);
    // Not awaited: starting may wait on informers (a CRD not yet installed) while the lease must keep being renewed.
    void Promise.resolve().then(callbacks.onStartedLeading).catch((err: unknown) => logger.error(`onStartedLeading failed: ${(err as Error).message}`));
    while (!this.stopped) {
      await this.sleep(this.renewPeriodMs);
      while (!this.stopped && !(await this.tryAcquireOrRenew())) {
        if (this.now() - this.lastRenewAt >= this.renewDeadlineMs) {
          this.leading = false;
          logger.error(`leader election lost: could not renew lease ${namespace}/${this.leaseName} within ${this.renewDeadlineMs} ms`);
          callbacks.onStoppedLeading();
          return 'lost';
        }
        await this.sleep(this.retryPeriodMs);
      }
    }
    return 'stopped';
  }

  /** Stops campaigning or renewing; a leader clears the holder so a standby takes over at once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    const wasLeading = this.leading;
    this.stopped = true;
    this.leading = false;
    clearTimeout(this.timer);
    this.wake?.();
    if (wasLeading) await this.release();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, identity, logger } = this.options;
    const now = this.now();
    const spec: LeaseSpec = { holderIdentity: identity, leaseDurationSeconds: this.leaseDurationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 };
    try {
      const lease = await client.get<Lease>(LEASES, namespace, this.leaseName);
      if (!lease) {
        await client.create<Lease>(LEASES, namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.leaseName, namespace }, spec });
        return this.renewed(now);
      }
      const current = lease.spec ?? {};
      const record = JSON.stringify(current);
      if (this.observed?.record !== record) this.observed = { record, at: now };
      const heldByOther = current.holderIdentity && current.holderIdentity !== identity;
      const duration = (current.leaseDurationSeconds ?? this.leaseDurationSeconds) * 1000;
      if (heldByOther && this.observed.at + duration > now) return false;
      const mine = current.holderIdentity === identity;
      await client.replace<Lease>(LEASES, namespace, this.leaseName, {
        ...lease,
        spec: {
          ...spec,
          acquireTime: mine ? current.acquireTime ?? spec.acquireTime : spec.acquireTime,
          leaseTransitions: (current.leaseTransitions ?? 0) + (mine ? 0 : 1),
        },
      });
      return this.renewed(now);
    } catch (err) {
      // 409: another candidate wrote between our read and our write; it won this round.
      if (statusCodeOf(err) !== 409) logger.warn(`lease ${namespace}/${this.leaseName}: ${(err as Error).message}`);
      return false;
    }
  }

  private renewed(at: number): boolean {
    this.leading = true;
    this.lastRenewAt = at;
    return true;
  }

  private async release(): Promise<void> {
    const { client, namespace, identity, logger } = this.options;
    try {
      const lease = await client.get<Lease>(LEASES, namespace, this.leaseName);
      if (!lease || lease.spec?.holderIdentity !== identity) return;
      await client.replace<Lease>(LEASES, namespace, this.leaseName, {
        ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(this.now()) },
      });
      logger.info(`released lease ${namespace}/${this.leaseName}`);
    } catch (err) {
      logger.warn(`could not release lease ${namespace}/${this.leaseName}: ${(err as Error).message}`);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }
}
