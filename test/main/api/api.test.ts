import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiWorld } from '../../helpers/api';

let w: Awaited<ReturnType<typeof apiWorld>>;
beforeAll(async () => {
  w = await apiWorld();
  await writeFile(join(w.home, 'debian-12.iso'), Buffer.alloc(64 * 1024));
});
afterAll(() => w.cleanup());

function isoWithLabel(label: string): Buffer {
  const b = Buffer.alloc(17 * 2048);
  b[16 * 2048] = 1;
  b.write('CD001', 16 * 2048 + 1, 'latin1');
  b.write(label.padEnd(32, ' '), 16 * 2048 + 40, 'latin1');
  return b;
}

describe('api', () => {
  it('refuses an unknown call and a bad payload, naming the fields', async () => {
    expect(await w.call('guests.nuke', {})).toMatchObject({ ok: false, error: { name: 'UnknownCall' } });
    const r = await w.call('guests.start', { name: '../etc', headless: 'yes' });
    expect(r).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    if (!r.ok) expect(r.error.fields!.map((f) => f.field).sort()).toEqual(['headless', 'name']);
  });

  it('previews a guest with reasons and the exact command, writing nothing', async () => {
    const r = await w.call('guests.preview', { preset: 'linux', name: 'deb', iso: join(w.home, 'debian-12.iso'), diskSize: '8G' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const out = r.output as { config: { name: string }; reasons: Record<string, string>; plan?: { command: string } };
    expect(out.reasons['network.nic']).toMatch(/virtio-net/);
    expect(out.plan!.command).toMatch(/^\S*qemu-system-x86_64 \\\n {2}-nodefaults/);
    expect(await readdir(w.home)).not.toContain('data');
  });

  it('reports the wizard\'s field errors from create: name, size, missing ISO', async () => {
    const r = await w.call('guests.create', { preset: 'linux', name: 'ok', diskSize: '9999T', iso: '/nope.iso' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fields!.map((f) => f.field).sort()).toEqual(['diskSize', 'iso']);
    const bad = await w.call('guests.create', { preset: 'linux', name: 'my vm' });
    expect(bad).toMatchObject({ ok: false, error: { name: 'ValidationError', fields: [{ field: 'name' }] } });
  });

  it('creates with the wizard\'s overrides and reuses an installed disk image without copying it', async () => {
    const image = join(w.home, 'installed.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', image, '1G']);
    const r = await w.call('guests.create', { preset: 'linux', name: 'reuse', existingDisk: image, overrides: { cores: 3, memoryMiB: 1536, firmware: 'bios', nic: 'e1000e' } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const got = await w.call('guests.get', { name: 'reuse' });
    if (!got.ok) throw new Error(got.error.message);
    const { config, status } = got.output as { config: { cpu: { cores: number }; memoryMiB: number; firmware: string; disks: { path: string; format: string }[]; network: { nic: string } }; status: { state: string } };
    expect(config).toMatchObject({ cpu: { cores: 3 }, memoryMiB: 1536, firmware: 'bios', network: { nic: 'e1000e' } });
    expect(config.disks[0]).toMatchObject({ path: image, format: 'qcow2' });
    expect(status.state).toBe('stopped');
    const del = await w.call('guests.delete', { name: 'reuse' });
    expect(del.ok).toBe(true);
    expect(await readdir(w.home)).toContain('installed.qcow2');
  });

  it('lists guests, a damaged one with its error', async () => {
    await w.call('guests.create', { preset: 'linux', name: 'fine', diskSize: '1G' });
    await mkdir(join(w.home, 'data/guestbay/vms/broken'), { recursive: true });
    await writeFile(join(w.home, 'data/guestbay/vms/broken/vm.json'), '{ nope');
    const r = await w.call('guests.list', {});
    if (!r.ok) throw new Error(r.error.message);
    const list = r.output as { name: string; error?: string; status?: { state: string } }[];
    expect(list.find((g) => g.name === 'broken')!.error).toMatch(/damaged/);
    expect(list.find((g) => g.name === 'fine')!.status!.state).toBe('stopped');
  });

  it('identifies installers from their volume label and file name', async () => {
    const cases: [string, string, string | null][] = [
      ['Win11_24H2_English_x64.iso', 'CCCOMA_X64FRE_EN-US_DV9', 'windows-11'],
      ['Win10_22H2_English_x64v1.iso', 'CCCOMA_X64FRE_EN-US_DV9', 'windows-10'],
      ['debian-12.9.0-amd64-netinst.iso', 'Debian 12.9.0 amd64 n', 'linux'],
      ['archlinux-2025.11.01-x86_64.iso', 'ARCH_202511', 'linux'],
      ['random.iso', 'DATA', null],
    ];
    for (const [file, label, preset] of cases) {
      await writeFile(join(w.home, file), isoWithLabel(label));
      const r = await w.call('media.identify', { path: join(w.home, file) });
      expect(r, file).toMatchObject({ ok: true, output: { label, preset } });
    }
  });

  it('browses folders (folders first) and has no native picker in headless use', async () => {
    const r = await w.call('fs.list', {});
    if (!r.ok) throw new Error(r.error.message);
    const out = r.output as { dir: string; entries: { name: string; kind: string }[] };
    expect(out.dir).toBe(w.home);
    expect(out.entries[0]!.kind).toBe('dir');
    expect(await w.call('dialog.pickFile', { title: 'ISO' })).toEqual({ ok: true, output: { supported: false, path: null } });
  });
});
