import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { createError, ErrorCodes } from '@nucleon/core';

/** What a blob of function source is, by its first bytes (not its name, which a URL may lack). */
export type SourceKind = 'zip' | 'tar.gz' | 'file';

/** Tells a zip (`PK\x03\x04`) or gzip (`\x1f\x8b`) archive from a single handler file. */
export function sourceKind(bytes: Buffer): SourceKind {
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  return 'file';
}

/** Unpacks a zip or tar.gz archive into `dir`; `origin` names it in errors. */
export function unpackArchive(bytes: Buffer, kind: 'zip' | 'tar.gz', dir: string, origin: string): void {
  if (kind === 'zip') unzip(bytes, dir, origin);
  else untar(bytes, dir, origin);
}

function invalid(origin: string, why: string): Error {
  return createError(ErrorCodes.CONFIG_PARSE, `${origin} is not a usable archive: ${why}`);
}

/** The target of an archive entry, refusing absolute names and `..` that would leave `dir`. */
function entryPath(dir: string, name: string, origin: string): string {
  const target = resolve(dir, name);
  if (target !== dir && !target.startsWith(dir + sep)) throw invalid(origin, `entry "${name}" points outside the archive`);
  return target;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Reads the zip central directory; stored (0) and deflated (8) entries, as zip tools write them. */
function unzip(bytes: Buffer, dir: string, origin: string): void {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw invalid(origin, 'no zip end-of-central-directory record');
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw invalid(origin, 'corrupt central directory');
    const method = bytes.readUInt16LE(at + 10);
    const compressed = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    const mode = bytes.readUInt32LE(at + 38) >>> 16;
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    const target = entryPath(dir, name, origin);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    if (bytes.readUInt32LE(local) !== LOCAL) throw invalid(origin, `corrupt local header for "${name}"`);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + compressed);
    if (method !== 0 && method !== 8) throw invalid(origin, `entry "${name}" uses compression method ${method} (only stored and deflate are read)`);
    mkdirSync(dirname(target), { recursive: true });
    // Keep the executable bit (a shell handler) when the archive recorded Unix modes.
    writeFileSync(target, method === 0 ? data : inflateRawSync(data), { mode: mode & 0o111 ? 0o755 : 0o644 });
  }
}

/** tar.gz through the system `tar`, which refuses members that climb out with `..`. */
function untar(bytes: Buffer, dir: string, origin: string): void {
  const result = spawnSync('tar', ['-xzf', '-', '-C', dir, '--no-same-owner', '--no-same-permissions'], { input: bytes, encoding: 'utf8' });
  if (result.error) throw invalid(origin, `cannot run tar: ${result.error.message}`);
  if (result.status !== 0) throw invalid(origin, (result.stderr || `tar exited with ${result.status}`).trim());
}

/** Writes a single handler file into `dir` (executable, in case it is a shell handler). */
export function writeHandlerFile(bytes: Buffer, dir: string, fileName: string): void {
  writeFileSync(join(dir, fileName), bytes, { mode: 0o755 });
}

/** An archive that wraps everything in one top folder (`my-func/...`, as `git archive` does) is rooted there. */
export function archiveRoot(dir: string): string {
  const entries = readdirSync(dir, { withFileTypes: true });
  const only = entries.length === 1 ? entries[0] : undefined;
  return only?.isDirectory() ? join(dir, only.name) : dir;
}
