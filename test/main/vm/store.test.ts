import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseVmConfig } from '../../../src/shared/migrations';
import { VM_CONFIG_VERSION } from '../../../src/shared/vm-config';
import { guestbayPaths } from '../../../src/main/vm/paths';
import { CorruptConfigError, GuestExistsError, GuestNotFoundError, Store } from '../../../src/main/vm/store';

let home: string;
let store: Store;
const config = (name = 'deb') =>
  parseVmConfig({
    schemaVersion: VM_CONFIG_VERSION,
    name,
    os: { family: 'linux', version: 'generic' },
    cpu: { cores: 1 },
    memoryMiB: 256,
    disks: [{ id: 'system', path: 'disk.qcow2' }],
  });

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'gb-store-'));
  store = new Store(guestbayPaths({ HOME: home, XDG_RUNTIME_DIR: join(home, 'run') }));
});
afterEach(() => rm(home, { recursive: true, force: true }));

describe('store', () => {
  it('keeps guests under the XDG data dir, private to the user', async () => {
    await store.create(config());
    const dir = join(home, '.local/share/guestbay/vms/deb');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'vm.json'))).mode & 0o777).toBe(0o600);
    expect(await store.get('deb')).toEqual(config());
    expect((await store.list()).map((g) => g.name)).toEqual(['deb']);
  });

  it('refuses to create over an existing guest', async () => {
    await store.create(config());
    await expect(store.create(config())).rejects.toBeInstanceOf(GuestExistsError);
  });

  it('leaves nothing behind when creation fails halfway', async () => {
    await expect(
      store.create(config(), async (dir) => {
        await writeFile(join(dir, 'disk.qcow2'), 'partial');
        throw new Error('qemu-img failed');
      }),
    ).rejects.toThrow('qemu-img failed');
    expect(await readdir(join(home, '.local/share/guestbay/vms'))).toEqual([]);
  });

  it('writes atomically: no temp files remain and the old content survives a failed write', async () => {
    await store.create(config());
    const dir = join(home, '.local/share/guestbay/vms/deb');
    await store.update({ ...config(), memoryMiB: 512 });
    expect(await readdir(dir)).toEqual(['vm.json']);
    expect((await store.get('deb')).memoryMiB).toBe(512);
  });

  it('reports a damaged file, keeps a copy aside, and never overwrites it silently', async () => {
    await store.create(config());
    const file = join(home, '.local/share/guestbay/vms/deb/vm.json');
    await writeFile(file, '{"schemaVersion": 1, "name": "deb", "cpu": ');
    const err = await store.get('deb').catch((e) => e);
    expect(err).toBeInstanceOf(CorruptConfigError);
    expect(err.message).toMatch(/damaged.*not valid JSON/);
    expect(await readFile(err.keptAs, 'utf8')).toBe('{"schemaVersion": 1, "name": "deb", "cpu": ');
    await expect(store.update(config())).rejects.toBeInstanceOf(CorruptConfigError);
    expect(await readFile(file, 'utf8')).toBe('{"schemaVersion": 1, "name": "deb", "cpu": ');
    // Reading it again does not pile up copies.
    await store.get('deb').catch(() => {});
    expect((await readdir(join(home, '.local/share/guestbay/vms/deb'))).filter((f) => f.includes('damaged'))).toHaveLength(1);
    expect((await store.list())[0]).toMatchObject({ name: 'deb', error: expect.stringContaining('damaged') });
  });

  it('a schema-invalid file is damaged too, with the field named', async () => {
    await store.create(config());
    await writeFile(join(home, '.local/share/guestbay/vms/deb/vm.json'), JSON.stringify({ ...config(), memoryMiB: -1 }));
    await expect(store.get('deb')).rejects.toThrow(/memoryMiB/);
  });

  it('deletes the config but keeps disk images unless told otherwise', async () => {
    await store.create(config(), (dir) => writeFile(join(dir, 'disk.qcow2'), 'data'));
    const dir = join(home, '.local/share/guestbay/vms/deb');
    await mkdir(join(dir, 'logs'));
    const { kept } = await store.delete('deb');
    expect(kept).toEqual([join(dir, 'disk.qcow2')]);
    expect(await readdir(dir)).toEqual(['disk.qcow2']);
    await expect(store.get('deb')).rejects.toBeInstanceOf(GuestNotFoundError);
    expect(await store.list()).toEqual([]);
    // Creating it again reuses the kept image.
    await store.create(config());
    expect(await readFile(join(dir, 'disk.qcow2'), 'utf8')).toBe('data');
    await store.delete('deb', { deleteDisks: true });
    await expect(stat(dir)).rejects.toThrow();
  });

  it('refuses names that would escape the store', async () => {
    await expect(store.get('../../etc')).rejects.toThrow(/name/);
  });
});
