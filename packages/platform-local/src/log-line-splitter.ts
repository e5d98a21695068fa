/** Limits of {@link LogLineSplitter}. */
export interface LineSplitterOptions {
  /** A longer line keeps its first bytes and a marker saying how much was cut. */
  maxLineBytes: number;
  /** A partial line (no newline yet) is written after this long without more bytes. */
  idleFlushMs: number;
}

const NEWLINE = 0x0a;

/**
 * Cuts a byte stream (a processor's stdout or stderr) into lines for the log, holding at most
 * `maxLineBytes` of a line in memory: the rest of an over-long line is counted, not kept, so a
 * 10 MB line costs the supervisor nothing. A partial last line is emitted by {@link flush}
 * (when the stream ends) or after `idleFlushMs` without bytes, so a write without a newline is
 * never lost.
 */
export class LogLineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LineSplitterOptions, private readonly emit: (line: string) => void) {}

  /** Feeds bytes; every complete line is emitted at once. */
  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.keep(chunk.subarray(start, nl));
      this.emitLine();
      start = nl + 1;
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
    this.armIdleFlush();
  }

  /** Emits a partial line, if any (the stream ended or went quiet). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.kept > 0 || this.dropped > 0) this.emitLine();
  }

  private keep(bytes: Buffer): void {
    const room = this.options.maxLineBytes - this.kept;
    if (room >= bytes.length) {
      if (bytes.length > 0) this.parts.push(Buffer.from(bytes));
      this.kept += bytes.length;
      return;
    }
    let cut = Math.max(0, room);
    // Cut on a UTF-8 character boundary: back off over continuation bytes (10xxxxxx).
    while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
    if (cut > 0) this.parts.push(Buffer.from(bytes.subarray(0, cut)));
    // Nothing more fits: the line is full even when a multi-byte character left a few bytes free.
    this.kept = this.options.maxLineBytes;
    this.dropped += bytes.length - cut;
  }

  private emitLine(): void {
    let line = Buffer.concat(this.parts).toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (this.dropped > 0) line += ` … [line cut: ${this.dropped} more bytes dropped]`;
    this.parts = [];
    this.kept = 0;
    this.dropped = 0;
    this.emit(line);
  }

  private armIdleFlush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.kept === 0 && this.dropped === 0) return;
    this.timer = setTimeout(() => this.flush(), this.options.idleFlushMs);
    this.timer.unref();
  }
}
