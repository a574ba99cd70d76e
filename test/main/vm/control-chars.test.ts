// Issue 12 item 9, reproduced: a shared folder whose name holds a line break. With the SMB
// method its path becomes a `path=` line of the smb.conf QEMU writes for smbd, so the rest of
// the name adds smb.conf settings of the folder-namer's choosing (`root preexec` runs a
// command when the guest connects). The folder really exists here, so only the control
// character can stop it: refused at create (CLI and API), at update, and by the launch plan,
// and nothing is written.
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLaunchPlan, PlanError } from '../../../src/main/qemu/plan';
import { Argv, opts } from '../../../src/main/qemu/qemu-opts';
import { validateCreate } from '../../../src/main/vm/create';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';
import { ConfigError, VM_CONFIG_VERSION, type VmConfig } from '../../../src/shared/vm-config';
import { hostFixture } from '../../fixtures/caps/hosts';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';

let w: Awaited<ReturnType<typeof apiWorld>>;
let evil: string;
let plain: string;
beforeAll(async () => {
  w = await apiWorld('gb-ctl-', { caps: (c) => ({ ...c, tools: { ...c.tools, smbd: '/usr/sbin/smbd' } }) });
  evil = join(w.home, "x\nroot preexec = touch pwned\n[inj]");
  plain = join(w.home, 'Shared');
  await mkdir(evil);
  await mkdir(plain);
});
afterAll(() => w.cleanup());

const guestsOnDisk = async () => (await readdir(join(w.home, 'data/guestbay/vms')).catch(() => [])).sort();

describe('a line break in a shared folder\'s path (smb.conf injection)', () => {
  it('is refused by `guestbay create`, naming the option, and nothing is written', async () => {
    const r = await cli(['create', '--preset', 'linux', '--name', 'inj', '--share', evil], w.env, w.home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was written');
    expect(r.stderr).toMatch(/shares\.0: A shared folder’s path cannot contain a line break or any other control character/);
    expect(await guestsOnDisk()).toEqual([]);
  });

  it('is refused by the API\'s create with the SMB method, field by field, and nothing is written', async () => {
    const r = await w.call('guests.create', { preset: 'linux', name: 'inj2', diskSize: '1G', shares: [plain, evil], overrides: { shareMethod: 'smb' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.name).toBe('ConfigError');
    expect(r.error.fields).toEqual([{ field: 'shares.1', message: expect.stringMatching(/^A shared folder’s path cannot contain a line break/) }]);
    const preview = await w.call('guests.preview', { preset: 'linux', name: 'inj', shares: [evil], overrides: { shareMethod: 'smb' } });
    expect(preview.ok).toBe(false);
    expect(await guestsOnDisk()).toEqual([]);
  });

  it('is refused by update, and vm.json stays byte for byte as it was', async () => {
    const made = await w.call('guests.create', { preset: 'linux', name: 'smb', diskSize: '1G', shares: [plain], overrides: { shareMethod: 'smb' } });
    expect(made.ok).toBe(true);
    const file = join(w.store.dirs('smb').dir, 'vm.json');
    const before = await readFile(file);
    const config = JSON.parse(before.toString()) as VmConfig;
    const got = await w.call('guests.get', { name: 'smb' });
    const revision = got.ok ? (got.output as { revision: string }).revision : '';
    const r = await w.call('guests.update', { name: 'smb', revision, config: { ...config, sharedFolders: [{ ...config.sharedFolders[0]!, hostPath: evil }] } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.fields).toEqual([{ field: 'sharedFolders.0.hostPath', message: expect.stringMatching(/^A shared folder’s path cannot contain a line break/) }]);
    expect(await readFile(file)).toEqual(before);
    expect(await readdir(w.home)).not.toContain('pwned');
  });

  it('is refused by the launch plan for a config that never went through the schema', () => {
    const good = parseVmConfig({ ...buildPreset('linux', { name: 'g', shares: [plain] }).config, sharedFolders: [{ tag: 's', hostPath: plain, method: 'smb' }] });
    const bad: VmConfig = { ...good, sharedFolders: [{ ...good.sharedFolders[0]!, hostPath: evil }] };
    const caps = { ...hostFixture('qemu-10.0', 'amd-kvm'), tools: { smbd: '/usr/sbin/smbd', remoteViewer: null, qemuBridgeHelper: null } };
    const ctx = { vmDir: '/vms/g', runtimeDir: '/run/gb/g', logDir: '/vms/g/logs' };
    expect(buildLaunchPlan(good, caps, ctx).args.join(' ')).toContain(`smb=${plain}`);
    let err: unknown;
    try {
      buildLaunchPlan(bad, caps, ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    expect(err).toMatchObject({ field: 'sharedFolders.0.hostPath', message: expect.stringMatching(/line break/) });
    // Every string of the config, however deep, and whatever the method.
    for (const [field, c] of [
      ['kernelBoot.append', { ...good, kernelBoot: { kernel: '/k', append: 'console=ttyS0\u001b[2J' } }],
      ['extraArgs.1', { ...good, extraArgs: ['-device', 'x\u0085y'] }],
      ['media.0.path', { ...good, media: [{ id: 'install0', role: 'install', path: '/i\t.iso', format: 'raw', as: 'cdrom', bus: 'sata' }] }],
    ] as const) {
      expect(() => buildLaunchPlan(c as VmConfig, caps, ctx)).toThrow(expect.objectContaining({ name: 'PlanError', field }));
    }
    // Host folders that are not the guest's settings (XDG_RUNTIME_DIR…) are checked too.
    expect(() => buildLaunchPlan(good, caps, { ...ctx, runtimeDir: '/run/a\nb' })).toThrow(PlanError);
  });

  it('is refused where QEMU\'s option strings are built, naming the option', () => {
    expect(() => opts('user', { id: 'net0', smb: '/x\n[inj]' })).toThrow(expect.objectContaining({ name: 'PlanError', message: expect.stringMatching(/smb=.*line break/) }));
    expect(() => opts('virtio-blk-pci\u007f', {})).toThrow(PlanError);
    expect(() => new Argv().add('-append', 'a\rb')).toThrow(expect.objectContaining({ message: expect.stringMatching(/-append.*carriage return/) }));
    expect(opts('user', { smb: '/a,b' })).toBe('user,smb=/a,,b');
  });
});

describe('the schema refuses control characters in every path and name that reaches QEMU', () => {
  const minimal = { schemaVersion: VM_CONFIG_VERSION, name: 'deb', os: { family: 'linux', version: 'generic' }, cpu: { cores: 2 }, memoryMiB: 1024 };
  it.each([
    ['disks.0.path', { disks: [{ id: 'system', path: 'disk\n.qcow2' }] }, /^A path cannot contain a line break/],
    ['media.0.path', { media: [{ id: 'install0', role: 'install', path: '/isos/a\u0000.iso' }] }, /^A path cannot contain a NUL character/],
    ['sharedFolders.0.hostPath', { sharedFolders: [{ tag: 's', hostPath: '/srv/\u009bx', method: 'smb' }] }, /^A shared folder’s path cannot contain the control character U\+009B/],
    ['kernelBoot.kernel', { kernelBoot: { kernel: '/boot/vm\rlinuz' } }, /^A path cannot contain a carriage return/],
    ['kernelBoot.initrd', { kernelBoot: { kernel: '/k', initrd: '/i\u007f' } }, /^A path cannot contain a delete character/],
    ['kernelBoot.append', { kernelBoot: { kernel: '/k', append: 'quiet\nsplash' } }, /^Kernel arguments cannot contain a line break.*Separate them with spaces/],
    ['pciDevices.0.romFile', { pciDevices: [{ address: '0000:01:00.0', romFile: '/rom\t' }] }, /^A path cannot contain a tab/],
    ['pciDevices.0.label', { pciDevices: [{ address: '0000:01:00.0', label: 'GPU\u001b[31m' }] }, /^A label cannot contain an escape character/],
    ['usb.hostDevices.0.label', { usb: { hostDevices: [{ vendorId: '046d', productId: 'c52b', label: 'a\u0085b' }] } }, /^A label cannot contain a next-line character/],
    ['title', { title: 'My\nguest' }, /^A title cannot contain a line break/],
    ['extraArgs.0', { extraArgs: ['-smbios\ntype=1'] }, /^An extra QEMU argument cannot contain a line break/],
  ])('%s', (field, extra, message) => {
    let errors: { field: string; message: string }[] = [];
    try {
      parseVmConfig({ ...minimal, ...extra });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      errors = e.errors;
    }
    expect(errors).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('the create request is checked the same way, by its own field names, before any file is looked at', async () => {
    const bad = (o: object) => validateCreate({ preset: 'linux', name: 'x', ...o }, w.home, w.home).then(() => [], (e: ConfigError) => e.errors.map((f) => f.field));
    expect(await bad({ iso: '/a\n.iso', driversIso: '/b\r', kernel: 'k\t', initrd: '/i\u0000', existingDisk: '/d\u009f', append: 'a\nb', title: 'T\u001b', shares: [plain, `${plain}\n`] })).toEqual(
      ['title', 'iso', 'driversIso', 'kernel', 'initrd', 'append', 'existingDisk', 'shares.1'],
    );
  });
});
