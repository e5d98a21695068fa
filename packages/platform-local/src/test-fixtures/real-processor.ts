import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateFunctionConfig, type FunctionConfig, type FunctionStatus } from '@nucleon/core';
import plugin from '../index.js';
import type { LocalPlatform } from '../local-platform.js';
import { isPidAlive } from '../liveness.js';
import { signal } from '../stop-process.js';

// The real processor (packages/processor/dist/main.js, built first). Plugins resolve from this
// package's dev dependencies and from the CLI's, which hold every built-in (cron, python).
export const PROCESSOR = fileURLToPath(import.meta.resolve('@nucleon/processor/main'));
const PACKAGE_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const CLI_DIR = join(PACKAGE_DIR, '..', 'cli');

/** A state folder, the platform over it, and clean-up of every processor a test started. */
export class RealProcessorHarness {
  home = '';
  private readonly pids = new Set<number>();

  async setUp(): Promise<void> {
    if (!existsSync(PROCESSOR)) throw new Error(`${PROCESSOR} is missing: run "pnpm -r build" first`);
    this.home = await mkdtemp(join(tmpdir(), 'nucleon-local-it-'));
  }

  async tearDown(): Promise<void> {
    for (const pid of this.pids) if (isPidAlive(pid)) { signal(-pid, 'SIGKILL'); signal(pid, 'SIGKILL'); }
    await rm(this.home, { recursive: true, force: true });
  }

  get stateDir(): string {
    return join(this.home, 'local');
  }

  platform(): LocalPlatform {
    return plugin.create({ settings: { processorEntry: PROCESSOR, stateDir: this.stateDir, pluginPaths: [PACKAGE_DIR, CLI_DIR] } }) as LocalPlatform;
  }

  /** A function folder under the harness home holding `files`. */
  async code(name: string, files: Record<string, string>): Promise<string> {
    const dir = join(this.home, 'code', name);
    await mkdir(dir, { recursive: true });
    await Promise.all(Object.entries(files).map(([file, text]) => writeFile(join(dir, file), text)));
    return dir;
  }

  /** Deploys and remembers the pid; `progress` collects the platform's progress lines. */
  async deploy(config: FunctionConfig, functionDir: string, progress: string[] = []): Promise<FunctionStatus> {
    const status = await this.platform().deploy({ config, functionDir, readinessTimeoutMs: 30_000, onProgress: (m) => progress.push(m) });
    this.pids.add(status.details?.supervisorPid as number);
    return status;
  }

  /** Remembers a pid the test saw in a status (a restarted processor). */
  track(status: FunctionStatus | undefined): void {
    if (typeof status?.details?.supervisorPid === 'number') this.pids.add(status.details.supervisorPid);
  }
}

/** A validated config for `name` with the given spec fields. */
export function functionConfig(name: string, spec: Record<string, unknown>): FunctionConfig {
  return validateFunctionConfig({ metadata: { name }, spec: { handler: 'main:handler', runtime: 'nodejs', ...spec } }).config;
}
