import { closeSync, fstatSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';

/** Limits of {@link RotatingLog}. */
export interface RotationOptions {
  /** `processor.log` is rotated before a write would take it past this size. */
  maxBytes: number;
  /** How many rotated files stay: `processor.log.1` (newest) .. `processor.log.<keep>`. */
  keep: number;
}

/**
 * An append-only log file rotated by size: `file` -> `file.1` -> ... -> `file.<keep>`, the
 * oldest dropped, so a chatty or hostile processor can fill at most `(keep + 1) * maxBytes`.
 * Writes are synchronous: the supervisor writes one line at a time and must not lose the last
 * ones when the processor dies.
 */
export class RotatingLog {
  private fd: number;
  private size: number;
  private ino: number;

  constructor(private readonly file: string, private readonly options: RotationOptions) {
    this.fd = openSync(file, 'a', 0o600);
    const info = fstatSync(this.fd);
    this.size = info.size;
    this.ino = info.ino;
  }

  /** Appends one line (a newline is added). */
  writeLine(line: string): void {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    if (this.size > 0 && this.size + bytes.length > this.options.maxBytes) this.rotate();
    writeSync(this.fd, bytes);
    this.size += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    // Another writer (the other supervisor during a redeploy) may have rotated already.
    const current = statSync(this.file, { throwIfNoEntry: false });
    if (current && current.ino === this.ino) {
      rmSync(`${this.file}.${this.options.keep}`, { force: true });
      for (let i = this.options.keep - 1; i >= 1; i--) renameIfExists(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      if (this.options.keep > 0) renameSync(this.file, `${this.file}.1`);
      else rmSync(this.file, { force: true });
    }
    closeSync(this.fd);
    this.fd = openSync(this.file, 'a', 0o600);
    const info = fstatSync(this.fd);
    this.size = info.size;
    this.ino = info.ino;
  }
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
