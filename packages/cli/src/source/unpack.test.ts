import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeFunctionSourceCode, handlerFileName } from './function-source-code.js';
import { archiveRoot, sourceKind, unpackArchive } from './unpack.js';

/** A zip as zip tools write one: deflated entries, Unix modes in the external attributes. */
function zip(entries: Record<string, { data: string; mode?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, { data, mode = 0o644 }] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const packed = deflateRawSync(Buffer.from(data));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nucleon-unpack-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('unpackArchive', () => {
  it('unpacks a zip with folders, keeping the executable bit', () => {
    const bytes = zip({ 'fn/main.py': { data: 'def h(c, e):\n    return 1\n' }, 'fn/run.sh': { data: 'echo hi\n', mode: 0o755 } });
    expect(sourceKind(bytes)).toBe('zip');
    unpackArchive(bytes, 'zip', dir, 'test.zip');
    expect(readFileSync(join(dir, 'fn', 'main.py'), 'utf8')).toBe('def h(c, e):\n    return 1\n');
    expect(statSync(join(dir, 'fn', 'run.sh')).mode & 0o111).not.toBe(0);
    expect(archiveRoot(dir)).toBe(join(dir, 'fn'));
  });

  it('refuses a zip entry that climbs out of the folder', () => {
    expect(() => unpackArchive(zip({ '../evil.py': { data: 'x' } }), 'zip', dir, 'evil.zip'))
      .toThrow('evil.zip is not a usable archive: entry "../evil.py" points outside the archive');
  });

  it('unpacks a tar.gz and tells it and a plain file apart by their bytes', () => {
    const src = join(dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'main.py'), 'x = 1\n');
    const tgz = spawnSync('tar', ['-czf', '-', '-C', src, 'main.py']).stdout;
    expect(sourceKind(tgz)).toBe('tar.gz');
    expect(sourceKind(Buffer.from('def handler(): pass'))).toBe('file');
    const out = join(dir, 'out');
    mkdirSync(out);
    unpackArchive(tgz, 'tar.gz', out, 't.tgz');
    expect(readFileSync(join(out, 'main.py'), 'utf8')).toBe('x = 1\n');
    expect(archiveRoot(out)).toBe(out);
  });
});

describe('functionSourceCode', () => {
  it('names a single handler file from the runtime and handler', () => {
    expect(handlerFileName('python:3.11', 'main:handler')).toBe('main.py');
    expect(handlerFileName('nodejs', 'lib/index:handler')).toBe('lib/index.js');
    expect(handlerFileName('golang', 'main:Handler')).toBe('main.go');
    expect(handlerFileName('shell', 'main.sh')).toBe('main.sh');
  });

  it('decodes base64 of a file or an archive into a source folder under the state directory', () => {
    const env = { NUCLEON_HOME: dir };
    const single = decodeFunctionSourceCode(Buffer.from('def h(c, e):\n    return 2\n').toString('base64'), 'python', 'code:h', env);
    expect(single.startsWith(join(dir, 'sources'))).toBe(true);
    expect(readFileSync(join(single, 'code.py'), 'utf8')).toContain('return 2');
    const archived = decodeFunctionSourceCode(zip({ 'code.py': { data: 'v = 3\n' } }).toString('base64'), 'python', 'code:h', env);
    expect(readFileSync(join(archived, 'code.py'), 'utf8')).toBe('v = 3\n');
    expect(() => decodeFunctionSourceCode('not base64!', 'python', 'code:h', env)).toThrow(/functionSourceCode: is not base64/);
  });
});
