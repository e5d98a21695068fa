import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertFunctionName, isFunctionName } from '@nucleon/core';

/** What `status.json` records about one deployed function; the only source of truth. */
export interface FunctionRecord {
  name: string;
  /** The function's supervisor, which runs (and restarts) its processor. */
  pid: number;
  /** The supervisor's start time (/proc stat field 22): a pid with another one is not ours. */
  startTime?: number;
  /** This deployment's run folder (its processor config and the supervisor's state). */
  runDir?: string;
  /** The name of the trigger the recorded URL belongs to. */
  httpTrigger?: string;
  httpPort: number;
  /** The address the HTTP trigger binds; absent in records of older versions (127.0.0.1). */
  httpHost?: string;
  adminPort: number;
  /** Directory holding the handler code. */
  functionDir: string;
  createdAt: string;
  runtime: string;
  handler: string;
  /** The processor main file; a live pid whose command line lacks it is a reused pid. */
  processorEntry: string;
  /** False when the function has triggers but none of kind `http` (then it has no URL). */
  hasHttpTrigger?: boolean;
  /** The build folder the processor runs from, when the function has build commands. */
  buildDir?: string;
  /** Set by `scale(name, 0)`: no processor runs on purpose, the scaler wakes it (the pid above is the last one). */
  scaledToZero?: boolean;
}

/** File layout under `<stateDir>`: `functions/<name>/{function.json,status.json,processor.log}`. */
export class StateStore {
  constructor(readonly stateDir: string) {}

  functionsDir(): string {
    return join(this.stateDir, 'functions');
  }

  /** The function's folder; a name that is not a function name is refused before any path is made. */
  dir(name: string): string {
    assertFunctionName(name);
    return join(this.functionsDir(), name);
  }

  configFile(name: string): string {
    return join(this.dir(name), 'function.json');
  }

  /**
   * A new deployment's own folder, `runs/<attempt>`: the config its processor reads (and
   * re-reads on every restart) stays there while a later deploy writes its own beside it.
   */
  newRunDir(name: string): string {
    const attempt = `${Date.now().toString(36)}-${process.pid.toString(36)}`;
    return join(this.dir(name), 'runs', attempt);
  }

  /** Creates a run folder made by {@link newRunDir}, private like the rest. */
  async ensureRunDir(runDir: string): Promise<void> {
    await mkdir(runDir, { recursive: true, mode: 0o700 });
  }

  /** Removes every run folder of the function but `keep` (those of deployments no longer running). */
  async pruneRuns(name: string, keep: string | undefined): Promise<void> {
    const root = join(this.dir(name), 'runs');
    const entries = await readdir(root).catch(() => [] as string[]);
    await Promise.all(entries.filter((e) => join(root, e) !== keep).map((e) => rm(join(root, e), { recursive: true, force: true })));
  }

  statusFile(name: string): string {
    return join(this.dir(name), 'status.json');
  }

  logFile(name: string): string {
    return join(this.dir(name), 'processor.log');
  }

  /**
   * Creates the function's folder. The state directory is made private (0700) first: it holds
   * `spec.env` values (secrets) and logs, which no other local user may read, wherever
   * NUCLEON_HOME points.
   */
  async ensureDir(name: string): Promise<void> {
    const dir = this.dir(name);
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await chmod(this.stateDir, 0o700);
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }

  /** The record of `name`, or undefined when there is none (or it is unreadable). */
  async read(name: string): Promise<FunctionRecord | undefined> {
    const file = this.statusFile(name);
    try {
      const record = JSON.parse(await readFile(file, 'utf8')) as FunctionRecord;
      // A record naming another function is not this function's record.
      return typeof record.pid === 'number' && record.name === name ? record : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes `status.json` atomically (temp file + rename) so a reader never sees half a record. */
  async write(record: FunctionRecord): Promise<void> {
    await this.writeJson(this.statusFile(record.name), record);
  }

  async writeJson(file: string, value: unknown): Promise<void> {
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  }

  /** Names of every function folder holding a record, sorted. */
  async names(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.functionsDir());
    } catch {
      return [];
    }
    return entries.filter(isFunctionName).sort();
  }

  async remove(name: string): Promise<void> {
    await rm(this.dir(name), { recursive: true, force: true });
  }
}
