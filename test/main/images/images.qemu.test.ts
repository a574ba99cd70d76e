// The one module over qemu-img, against this machine's real qemu-img (7.2 here, 10 in the
// chroot): create, info, check, resize, convert from every source format qemu-img itself makes
// (with -p progress), compact, the refusals of foreign images, and NOCOW on a real btrfs.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkImage, compactImage, convertImage, createImage, imageChain, imageInfo, ImageError, resizeImage, ShrinkNotConfirmedError } from '../../../src/main/images';

const run = promisify(execFile);
let dir: string;
const MiB = 2 ** 20;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-images-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes `pattern` bytes at `offset` into an image through qemu-io (no guest needed). */
async function write(file: string, format: string, offset: number, length: number, pattern: number) {
  await run('qemu-io', ['-f', format, '-c', `write -P ${pattern} ${offset} ${length}`, file]);
}
async function same(a: string, fa: string, b: string, fb: string) {
  const r = await execa('qemu-img', ['compare', '-f', fa, '-F', fb, a, b], { reject: false });
  return r.exitCode === 0;
}

describe('create and info', () => {
  it('makes qcow2 with lazy refcounts, never over an existing file, and reads it back', async () => {
    const p = join(dir, 'a.qcow2');
    const made = await createImage(p, { format: 'qcow2', size: 64 * MiB });
    expect(made.nocow).toBe(false);
    const info = await imageInfo(p, { format: 'qcow2' });
    expect(info).toMatchObject({ format: 'qcow2', virtualSize: 64 * MiB, qcow2: { lazyRefcounts: true, extendedL2: false }, snapshots: [] });
    await expect(createImage(p, { format: 'qcow2', size: MiB })).rejects.toThrow(/already exists/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('makes an overlay with subclusters, whose backing chain reads back', async () => {
    const ov = join(dir, 'ov.qcow2');
    await createImage(ov, { format: 'qcow2', backing: { file: 'a.qcow2', format: 'qcow2' } });
    const chain = await imageChain(ov, { format: 'qcow2' });
    expect(chain.map((c) => c.format)).toEqual(['qcow2', 'qcow2']);
    expect(chain[0]).toMatchObject({ backingFile: 'a.qcow2', virtualSize: 64 * MiB, qcow2: { extendedL2: true } });
  });

  it('checks an image (raw has nothing to check)', async () => {
    expect(await checkImage(join(dir, 'a.qcow2'), 'qcow2')).toMatchObject({ ok: true, corruptions: 0, leaks: 0 });
    await createImage(join(dir, 'r.img'), { format: 'raw', size: MiB });
    expect(await checkImage(join(dir, 'r.img'), 'raw')).toMatchObject({ unsupported: true });
  });
});

describe('resize', () => {
  it('grows; refuses to shrink unconfirmed, saying what is lost; shrinks once confirmed', async () => {
    const p = join(dir, 'grow.qcow2');
    await createImage(p, { format: 'qcow2', size: 64 * MiB });
    expect(await resizeImage(p, 'qcow2', 128 * MiB)).toEqual({ from: 64 * MiB, to: 128 * MiB });
    expect((await imageInfo(p, { format: 'qcow2' })).virtualSize).toBe(128 * MiB);
    const err = await resizeImage(p, 'qcow2', 32 * MiB).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ShrinkNotConfirmedError);
    expect((err as Error).message).toMatch(/from 128 MiB to 32 MiB cuts off its last 96 MiB: every partition and file stored there is lost/);
    expect((await imageInfo(p, { format: 'qcow2' })).virtualSize).toBe(128 * MiB);
    await resizeImage(p, 'qcow2', 32 * MiB, { confirmShrink: true });
    expect((await imageInfo(p, { format: 'qcow2' })).virtualSize).toBe(32 * MiB);
  });
});

describe('convert and import', () => {
  const formats = [
    ['raw', 'raw'],
    ['qcow2', 'qcow2'],
    ['vdi', 'vdi'],
    ['vmdk', 'vmdk'],
    ['vhdx', 'vhdx'],
    ['vpc', 'vhd'],
  ] as const;

  it.each(formats)('imports a %s image made by qemu-img itself, probing its format, data intact', async (format, ext) => {
    const src = join(dir, `src-${format}.raw`);
    await execa('qemu-img', ['create', '-q', '-f', 'raw', src, String(32 * MiB)]);
    await write(src, 'raw', 0, MiB, 0xab);
    await write(src, 'raw', 20 * MiB, 3 * MiB, 0x5c);
    const made = join(dir, `made.${ext}`);
    await rm(made, { force: true });
    await execa('qemu-img', ['convert', '-q', '-f', 'raw', '-O', format, src, made]);
    const out = join(dir, `imported-${format}.qcow2`);
    const r = await convertImage(made, out, { toFormat: 'qcow2' });
    expect(r.from.format).toBe(format);
    expect(await same(src, 'raw', out, 'qcow2')).toBe(true);
  });

  it('reports live progress converting a 1 GiB sparse image, and the result is whole', async () => {
    const src = join(dir, 'big.raw');
    await execa('qemu-img', ['create', '-q', '-f', 'raw', src, String(1024 * MiB)]);
    for (let i = 0; i < 8; i++) await write(src, 'raw', i * 128 * MiB, 8 * MiB, 0x11 + i);
    const seen: number[] = [];
    const out = join(dir, 'big.qcow2');
    await convertImage(src, out, { fromFormat: 'raw', toFormat: 'qcow2', onProgress: (f) => seen.push(f) });
    expect(seen.some((f) => f > 0 && f < 1)).toBe(true);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await same(src, 'raw', out, 'qcow2')).toBe(true);
    console.log(`progress reports during the 1 GiB conversion: ${seen.length} (${[...new Set(seen.map((f) => Math.round(f * 100)))].slice(0, 12).join(', ')}…%)`);
  });

  it('leaves nothing behind when cancelled, and never writes over an existing file', async () => {
    const ac = new AbortController();
    const out = join(dir, 'cancelled.qcow2');
    const p = convertImage(join(dir, 'big.raw'), out, { fromFormat: 'raw', toFormat: 'qcow2', signal: ac.signal, onProgress: () => ac.abort() });
    await expect(p).rejects.toThrow(/cancelled/);
    expect((await readdir(dir)).filter((f) => f.includes('cancelled'))).toEqual([]);
    await expect(convertImage(join(dir, 'big.raw'), join(dir, 'big.qcow2'), { fromFormat: 'raw', toFormat: 'qcow2' })).rejects.toThrow(/already exists/);
  });

  it('refuses foreign images that read other files: a backing file, a VMDK extent outside its folder', async () => {
    await expect(convertImage(join(dir, 'ov.qcow2'), join(dir, 'x.qcow2'), { toFormat: 'qcow2' })).rejects.toThrow(/overlay of another image \(a.qcow2\)/);
    const sub = join(dir, 'vm');
    await mkdir(sub, { recursive: true });
    const secret = join(dir, 'secret.raw');
    await writeFile(secret, Buffer.alloc(MiB, 0x41));
    await writeFile(
      join(sub, 'evil.vmdk'),
      `# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType="monolithicFlat"\n\nRW 2048 FLAT "${secret}" 0\n\nddb.virtualHWVersion = "4"\nddb.geometry.cylinders = "2"\nddb.geometry.heads = "16"\nddb.geometry.sectors = "63"\nddb.adapterType = "ide"\n`,
    );
    const err = await convertImage(join(sub, 'evil.vmdk'), join(dir, 'evil.qcow2'), { toFormat: 'qcow2' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect((err as Error).message).toMatch(/reads its data from .*secret\.raw, outside its own folder: refused/);
    expect((await readdir(dir)).includes('evil.qcow2')).toBe(false);
  });
});

describe('compact', () => {
  it('gives back the space the guest freed, same data', async () => {
    const p = join(dir, 'fat.qcow2');
    await createImage(p, { format: 'qcow2', size: 64 * MiB });
    await write(p, 'qcow2', 0, 32 * MiB, 0x77);
    await run('qemu-io', ['-f', 'qcow2', '-c', `write -z 0 ${24 * MiB}`, p]);
    const copy = join(dir, 'fat-copy.qcow2');
    await execa('qemu-img', ['convert', '-q', '-f', 'qcow2', '-O', 'qcow2', p, copy]);
    const r = await compactImage(p, 'qcow2');
    expect(r.after).toBeLessThan(r.before);
    expect(await same(p, 'qcow2', copy, 'qcow2')).toBe(true);
  });
});

describe('NOCOW on btrfs', () => {
  let mnt: string;
  let mounted = false;
  const btrfs = async () => (await readFile('/proc/filesystems', 'utf8')).includes('btrfs');

  afterAll(async () => {
    if (mounted) await execa('umount', [mnt]).catch(() => execa('umount', ['-l', mnt]));
  });

  it('sets the NOCOW attribute on images made on a loop-mounted btrfs, and not elsewhere', async (ctx) => {
    if (!(await btrfs())) {
      ctx.skip(true, 'this kernel has no btrfs: NOCOW cannot be checked here (CI runs it)');
      return;
    }
    const img = join(dir, 'btrfs.img');
    mnt = join(dir, 'mnt');
    await mkdir(mnt);
    await execa('truncate', ['-s', '256M', img]);
    await execa('mkfs.btrfs', ['-q', img]);
    await execa('mount', ['-o', 'loop', img, mnt]);
    mounted = true;
    const made = await createImage(join(mnt, 'disk.qcow2'), { format: 'qcow2', size: 64 * MiB });
    expect(made.nocow).toBe(true);
    const attrs = (await execa('lsattr', ['-d', join(mnt, 'disk.qcow2')])).stdout.split(/\s+/)[0]!;
    expect(attrs).toContain('C');
    // A conversion made there gets it too; one made on another filesystem does not.
    await convertImage(join(dir, 'a.qcow2'), join(mnt, 'converted.qcow2'), { fromFormat: 'qcow2', toFormat: 'qcow2' });
    expect((await execa('lsattr', ['-d', join(mnt, 'converted.qcow2')])).stdout.split(/\s+/)[0]).toContain('C');
    const elsewhere = (await execa('lsattr', ['-d', join(dir, 'a.qcow2')], { reject: false })).stdout.split(/\s+/)[0] ?? '';
    expect(elsewhere).not.toContain('C');
  });
});
