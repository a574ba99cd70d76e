import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipArchive, ZipError } from '../../../../src/main/macos/opencore/zip';
import { fakeRelease, makeZip } from './fake-release';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guestbay-zip-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const text = Buffer.from('OpenCore '.repeat(500));

describe('ZIP reader', () => {
  it('lists and extracts stored and deflated entries, directories included', () => {
    const z = ZipArchive.fromBuffer(makeZip([{ name: 'X64/' }, { name: 'X64/a.txt', data: text, method: 8 }, { name: 'X64/b.bin', data: Buffer.from([1, 2, 3]), method: 0 }, { name: 'empty', data: Buffer.alloc(0) }]));
    expect(z.entries.map((e) => [e.name, e.method, e.isDirectory])).toEqual([
      ['X64/', 0, true],
      ['X64/a.txt', 8, false],
      ['X64/b.bin', 0, false],
      ['empty', 0, false],
    ]);
    expect(z.get('X64/a.txt')!.compressedSize).toBeLessThan(text.length);
    expect(z.read('X64/a.txt')).toEqual(text);
    expect(z.read('X64/b.bin')).toEqual(Buffer.from([1, 2, 3]));
    expect(z.read('empty')).toEqual(Buffer.alloc(0));
    expect(() => z.read('nope')).toThrow(/has no "nope"/);
  });

  it('finds the end record behind an archive comment', () => {
    const z = ZipArchive.fromBuffer(makeZip([{ name: 'f', data: text }], 'made by a test, PK\u0005\u0006 inside'));
    expect(z.read('f')).toEqual(text);
  });

  it('reads what Info-ZIP writes (the tool that makes the OpenCore release)', async (ctx) => {
    const hasZip = (() => {
      try {
        execFileSync('zip', ['-v'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    if (!hasZip) return ctx.skip();
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'X64/EFI/OC/Drivers'), { recursive: true });
    await writeFile(join(tree, 'X64/EFI/OC/OpenCore.efi'), text);
    await writeFile(join(tree, 'X64/EFI/OC/Drivers/OpenRuntime.efi'), Buffer.from([0, 1, 2, 3, 4]));
    await writeFile(join(tree, 'X64/EFI/OC/.contentVisibility'), 'Disabled');
    execFileSync('zip', ['-qr', join(dir, 'info.zip'), 'X64'], { cwd: tree });
    const z = await ZipArchive.open(join(dir, 'info.zip'));
    expect(z.read('X64/EFI/OC/OpenCore.efi')).toEqual(text);
    expect(z.read('X64/EFI/OC/Drivers/OpenRuntime.efi')).toEqual(Buffer.from([0, 1, 2, 3, 4]));
    expect(z.read('X64/EFI/OC/.contentVisibility').toString()).toBe('Disabled');
    expect(z.get('X64/EFI/OC/')!.isDirectory).toBe(true);
  });

  it('the fake release has the real layout', () => {
    const z = ZipArchive.fromBuffer(fakeRelease().zip);
    expect(z.get('X64/EFI/BOOT/BOOTx64.efi')).toBeDefined();
    expect(z.get('X64/EFI/OC/Drivers/OpenRuntime.efi')).toBeDefined();
    expect(z.read('X64/EFI/OC/.contentVisibility').toString()).toBe('Disabled');
  });

  it('a damaged byte fails the CRC-32 check', () => {
    const zip = makeZip([{ name: 'f', data: Buffer.from('abcdefgh'), method: 0 }]);
    const at = 30 + 1 + 3; // inside the stored data, after the 30-byte header and the name
    zip[at] = zip[at]! ^ 0xff;
    expect(() => ZipArchive.fromBuffer(zip).read('f')).toThrow(/CRC-32/);
  });

  it('refuses encryption, unknown methods and corrupt deflate with a reason', () => {
    const enc = ZipArchive.fromBuffer(makeZip([{ name: 'secret', data: text, flags: 1 }]));
    expect(() => enc.read('secret')).toThrow(/encrypted/);
    const aes = ZipArchive.fromBuffer(makeZip([{ name: 'aes', data: text, method: 0, methodField: 99 }]));
    expect(() => aes.read('aes')).toThrow(/encrypted/);
    const bz = ZipArchive.fromBuffer(makeZip([{ name: 'bz', data: text, method: 0, methodField: 12 }]));
    expect(() => bz.read('bz')).toThrow(/method 12; only stored \(0\) and deflate \(8\)/);
    const bad = makeZip([{ name: 'd', data: text, method: 8 }]);
    bad.fill(0xff, 31, 40);
    expect(() => ZipArchive.fromBuffer(bad).read('d')).toThrow(ZipError);
  });

  it('refuses ZIP64, spanned, truncated and non-zip files', async () => {
    const z64 = makeZip([{ name: 'f', data: text }]);
    z64.writeUInt32LE(0xffffffff, z64.length - 22 + 16);
    expect(() => ZipArchive.fromBuffer(z64)).toThrow(/ZIP64/);
    const spanned = makeZip([{ name: 'f', data: text }]);
    spanned.writeUInt16LE(1, spanned.length - 22 + 4);
    expect(() => ZipArchive.fromBuffer(spanned)).toThrow(/multi-part/);
    const whole = makeZip([{ name: 'f', data: text, method: 0 }]);
    expect(() => ZipArchive.fromBuffer(whole.subarray(0, whole.length - 30))).toThrow(ZipError);
    expect(() => ZipArchive.fromBuffer(Buffer.from('<html>not found</html>'))).toThrow(/not a zip file/);
    expect(() => ZipArchive.fromBuffer(Buffer.alloc(5))).toThrow(/too short/);
    await writeFile(join(dir, 'x.zip'), whole);
    expect((await ZipArchive.open(join(dir, 'x.zip'))).read('f')).toEqual(text);
    expect(await readFile(join(dir, 'x.zip'))).toEqual(whole);
  });
});
