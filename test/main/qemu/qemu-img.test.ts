// qemu-img's syntax (argument lists) and the readers of what it prints, on outputs captured from
// qemu-img 7.2 and 10.0.
import { describe, expect, it } from 'vitest';
import { checkArgs, commitArgs, convertArgs, createArgs, defaultLayout, errorText, infoArgs, isLockError, ProgressReader, readCheck, readInfo, readMeasure, resizeArgs, snapshotArgs } from '../../../src/main/qemu/qemu-img';

describe('qemu-img arguments', () => {
  it('creates qcow2 with lazy refcounts, overlays with subclusters and an explicit backing format, NOCOW on btrfs', () => {
    expect(createArgs({ path: '/g/disk.qcow2', format: 'qcow2', size: 1024 ** 3, layout: defaultLayout({ overlay: false, nocow: false }) })).toEqual(['create', '-q', '-f', 'qcow2', '-o', 'lazy_refcounts=on', '/g/disk.qcow2', String(1024 ** 3)]);
    expect(createArgs({ path: '/c/disk.qcow2', format: 'qcow2', backing: { file: '../b/disk.qcow2', format: 'raw' }, layout: defaultLayout({ overlay: true, nocow: true }) })).toEqual([
      'create', '-q', '-f', 'qcow2', '-b', '../b/disk.qcow2', '-F', 'raw', '-o', 'lazy_refcounts=on,extended_l2=on,cluster_size=131072,nocow=on', '/c/disk.qcow2',
    ]);
    expect(createArgs({ path: '/g/d.img', format: 'raw', size: 2 ** 20, layout: { nocow: true } })).toEqual(['create', '-q', '-f', 'raw', '-o', 'nocow=on', '/g/d.img', String(2 ** 20)]);
    expect(() => createArgs({ path: '/g/d.img', format: 'raw' })).toThrow(/size/);
  });

  it('never lets a value with a comma into -o', () => {
    expect(() => createArgs({ path: 'x', format: 'qcow2', size: 1, layout: { clusterSize: 'a,b' as unknown as number } })).toThrow(/comma/);
  });

  it('reads, checks, resizes, converts, commits and snapshots with the format always stated', () => {
    expect(infoArgs('/d', { chain: true, format: 'qcow2' })).toEqual(['info', '-U', '--output=json', '-f', 'qcow2', '--backing-chain', '/d']);
    expect(checkArgs('/d', 'qcow2', 'leaks')).toEqual(['check', '--output=json', '-f', 'qcow2', '-r', 'leaks', '/d']);
    expect(resizeArgs('/d', 'qcow2', 10, true)).toEqual(['resize', '-q', '-f', 'qcow2', '--shrink', '/d', '10']);
    expect(convertArgs({ from: '/a.vdi', fromFormat: 'vdi', to: '/b', toFormat: 'qcow2', progress: true })).toEqual(['convert', '-p', '-f', 'vdi', '-O', 'qcow2', '/a.vdi', '/b']);
    expect(commitArgs('/o', { progress: true })).toEqual(['commit', '-f', 'qcow2', '-p', '/o']);
    expect(snapshotArgs('apply', '/d', 'clean')).toEqual(['snapshot', '-q', '-a', 'clean', '/d']);
  });
});

describe('what qemu-img prints', () => {
  // `qemu-img info --output=json --backing-chain` of an overlay on a base with one snapshot (7.2).
  const chain72 = JSON.stringify([
    { 'backing-filename-format': 'qcow2', 'virtual-size': 67108864, filename: 'ov.qcow2', 'cluster-size': 131072, format: 'qcow2', 'actual-size': 397312, 'format-specific': { type: 'qcow2', data: { compat: '1.1', 'compression-type': 'zlib', 'lazy-refcounts': false, 'refcount-bits': 16, corrupt: false, 'extended-l2': true } }, 'full-backing-filename': 'base.qcow2', 'backing-filename': 'base.qcow2', 'dirty-flag': false },
    { snapshots: [{ icount: 0, 'vm-clock-nsec': 0, name: 's1', 'date-sec': 1796174206, 'date-nsec': 525785000, 'vm-clock-sec': 0, id: '1', 'vm-state-size': 0 }], 'virtual-size': 67108864, filename: 'base.qcow2', 'cluster-size': 65536, format: 'qcow2', 'actual-size': 208896, 'format-specific': { type: 'qcow2', data: { compat: '1.1', 'compression-type': 'zlib', 'lazy-refcounts': true, 'refcount-bits': 16, corrupt: false, 'extended-l2': false } }, 'dirty-flag': false },
  ]);

  it('reads a backing chain with snapshots (QEMU 7.2 and 10 print the same keys; 10 adds "children")', () => {
    const [ov, base] = readInfo(chain72);
    expect(ov).toMatchObject({ format: 'qcow2', virtualSize: 67108864, backingFile: 'base.qcow2', backingFormat: 'qcow2', qcow2: { extendedL2: true, lazyRefcounts: false }, snapshots: [] });
    expect(base!.snapshots).toEqual([{ id: '1', name: 's1', date: 1796174206, vmStateSize: 0, vmClock: 0 }]);
    const ten = JSON.parse(chain72).map((x: object) => ({ children: [{ name: 'file', info: { format: 'file' } }], ...x }));
    expect(readInfo(JSON.stringify(ten))).toEqual(readInfo(chain72));
  });

  it('reads one image, and a VMDK\'s extent files', () => {
    const vmdk = { 'virtual-size': 1073741824, filename: 'split.vmdk', format: 'vmdk', 'actual-size': 16384, 'format-specific': { type: 'vmdk', data: { 'create-type': 'twoGbMaxExtentSparse', extents: [{ filename: 'split-s001.vmdk', format: 'SPARSE' }] } }, 'dirty-flag': false };
    expect(readInfo(JSON.stringify(vmdk))[0]).toMatchObject({ format: 'vmdk', extents: ['split-s001.vmdk'], backingFile: undefined });
  });

  it('reads check results: clean, leaks, corruptions, repairs, and raw (nothing to check)', () => {
    expect(readCheck(JSON.stringify({ 'image-end-offset': 393216, 'total-clusters': 1024, 'check-errors': 0, filename: 'b', format: 'qcow2' }), 0)).toMatchObject({ ok: true, corruptions: 0, leaks: 0 });
    expect(readCheck(JSON.stringify({ leaks: 3, 'check-errors': 0 }), 3)).toMatchObject({ ok: true, leaks: 3 });
    expect(readCheck(JSON.stringify({ corruptions: 2, 'check-errors': 0 }), 2)).toMatchObject({ ok: false, corruptions: 2 });
    expect(readCheck(JSON.stringify({ 'leaks-fixed': 3, 'check-errors': 0 }), 0)).toMatchObject({ ok: true, leaksFixed: 3 });
    expect(readCheck('', 63)).toMatchObject({ ok: true, unsupported: true });
  });

  it('reads measure', () => {
    expect(readMeasure('{"bitmaps": 0, "required": 327680, "fully-allocated": 67436544}')).toEqual({ required: 327680, fullyAllocated: 67436544 });
  });

  it('reads -p progress however the output is cut', () => {
    const r = new ProgressReader();
    expect(r.push('    (0.00/100%)\r    (12.')).toBe(0);
    expect(r.push('50/100%)\r')).toBe(0.125);
    expect(r.push('    (100.00/100%)\r\n')).toBe(1);
    expect(r.push('\n')).toBeUndefined();
  });

  it('tells a lock held by a running guest from other errors, and keeps the last line', () => {
    const locked = 'qemu-img: Could not open \'/x\': Failed to get "write" lock\nIs another process using the image [/x]?\n';
    expect(isLockError(locked)).toBe(true);
    expect(isLockError("qemu-img: Could not open '/x': No such file or directory")).toBe(false);
    expect(errorText("qemu-img: Could not open '/x': No such file or directory\n")).toBe("Could not open '/x': No such file or directory");
  });
});
