// Issue 14, bench/library: a listing of hundreds of unchanged guests is a stat per guest, not a
// read, a hash and a parse per guest — and never stale: a vm.json changed from outside (in place
// or replaced, whatever its times say) is listed as it is now.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseVmConfig } from '../../../src/shared/migrations';
import { VM_CONFIG_VERSION } from '../../../src/shared/vm-config';
import { guestbayPaths } from '../../../src/main/vm/paths';
import { Store } from '../../../src/main/vm/store';
import { readBounded } from '../../../src/main/host/bounded-read';

// Counts the reads of vm.json files (the store's only way to read one).
const reads = vi.hoisted(() => ({ files: [] as string[] }));
vi.mock('../../../src/main/host/bounded-read', async (orig) => {
  const real = await orig<typeof import('../../../src/main/host/bounded-read')>();
  return {
    ...real,
    readBoundedWithStat: (path: string, max: number) => {
      if (path.endsWith('vm.json')) reads.files.push(path);
      return real.readBoundedWithStat(path, max);
    },
  };
});

let home: string;
const config = (name: string, memoryMiB = 256) =>
  parseVmConfig({ schemaVersion: VM_CONFIG_VERSION, name, os: { family: 'linux', version: 'generic' }, cpu: { cores: 1 }, memoryMiB, disks: [{ id: 'system', path: 'disk.qcow2' }] });
const file = (name: string) => join(home, '.local/share/guestbay/vms', name, 'vm.json');
const memory = async (s: Store) => Object.fromEntries((await s.list()).map((g) => [g.name, g.config?.memoryMiB]));

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'gb-store-list-'));
  reads.files = [];
});
afterEach(() => rm(home, { recursive: true, force: true }));

const paths = () => guestbayPaths({ HOME: home, XDG_RUNTIME_DIR: join(home, 'run') });

describe('listing guests', () => {
  it('reads an unchanged, settled vm.json once: later listings trust its stat', async () => {
    // Trusted at once (settledMs 0): the default waits 2 s after a write before trusting a stat.
    const store = new Store(paths(), { settledMs: 0 });
    for (const n of ['a', 'b', 'c']) await store.create(config(n));
    await store.list();
    reads.files = [];
    expect(await memory(store)).toEqual({ a: 256, b: 256, c: 256 });
    expect(await memory(store)).toEqual({ a: 256, b: 256, c: 256 });
    expect(reads.files).toEqual([]);
    // The store's own write is a new file: read again.
    await store.update(config('b', 512));
    expect(await memory(store)).toEqual({ a: 256, b: 512, c: 256 });
    expect(reads.files).toEqual([file('b')]);
    // What the watch saw change is forgotten: read again.
    store.forget('c');
    await store.list();
    expect(reads.files).toEqual([file('b'), file('c')]);
  });

  it('lists a vm.json edited from outside as it is now, even one trusted by its stat', async () => {
    const store = new Store(paths(), { settledMs: 0 });
    for (const n of ['inplace', 'replaced', 'backdated']) await store.create(config(n));
    expect(await memory(store)).toEqual({ backdated: 256, inplace: 256, replaced: 256 });
    // The same size each time (256 → 512): only the stat's times and inode tell the change.
    const edit = async (n: string) => (await readFile(file(n), 'utf8')).replace('"memoryMiB": 256', '"memoryMiB": 512');
    // Written in place (same inode) right after it was listed.
    await writeFile(file('inplace'), await edit('inplace'));
    // Replaced by rename, as editors and other Guestbay processes do.
    await writeFile(`${file('replaced')}.tmp`, await edit('replaced'));
    await rename(`${file('replaced')}.tmp`, file('replaced'));
    // Written in place and its mtime put back (cp -p, rsync -t): the ctime still moves.
    const before = await stat(file('backdated'), { bigint: true });
    const ref = join(home, 'mtime-ref');
    execFileSync('touch', ['-r', file('backdated'), ref]); // to the nanosecond, as Node's utimes is not
    await writeFile(file('backdated'), await edit('backdated'));
    execFileSync('touch', ['-m', '-r', ref, file('backdated')]);
    expect((await stat(file('backdated'), { bigint: true })).mtimeNs).toBe(before.mtimeNs);
    expect(await memory(store)).toEqual({ backdated: 512, inplace: 512, replaced: 512 });
    // A guest removed from outside is gone from the list; one added from outside is there.
    await rm(join(home, '.local/share/guestbay/vms/inplace'), { recursive: true });
    await new Store(paths()).create(config('added', 1024));
    expect(await memory(store)).toEqual({ added: 1024, backdated: 512, replaced: 512 });
  });

  it('with the default rule, a vm.json written in the last 2 s is always read', async () => {
    const store = new Store(paths());
    await store.create(config('fresh'));
    await store.list();
    await store.list();
    expect(reads.files).toEqual([file('fresh'), file('fresh')]);
  });
});

describe('bounded reads', () => {
  it('read a file whose size the file system does not know (sized 0, like /proc) whole', async () => {
    // Its buffer is sized from the file (plus a little) and grown while there is more to read.
    const maps = await readBounded('/proc/self/maps', 2 ** 20);
    expect(maps.length).toBeGreaterThan(4096);
    expect(maps.toString().trimEnd().split('\n').at(-1)).toMatch(/vsyscall|vdso|stack/);
    await expect(readBounded('/proc/self/maps', 1000)).rejects.toThrow(/grew past the 1000 bytes/);
  });
});
