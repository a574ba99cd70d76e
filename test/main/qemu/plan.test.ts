import { describe, expect, it } from 'vitest';
import { buildPreset } from '../../../src/shared/presets';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildLaunchPlan, PlanError } from '../../../src/main/qemu/plan';
import type { HostCaps } from '../../../src/shared/host-caps';
import { hostFixture } from '../../fixtures/caps/hosts';

const ctx = { vmDir: '/vms/g', runtimeDir: '/run/gb/g', logDir: '/vms/g/logs' };
const amd10 = () => hostFixture('qemu-10.0', 'amd-kvm');
const tcg72 = () => hostFixture('qemu-7.2', 'amd-tcg');
const host = { threads: 16, memoryMiB: 32768 };

/** The value following `flag` in argv, for each occurrence. */
function values(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));
}

function linux(extra: Record<string, unknown> = {}) {
  const { config } = buildPreset('linux', { name: 'g', host });
  return parseVmConfig({ ...config, ...extra });
}

describe('launch plan', () => {
  it('forwards ports on loopback only, and warns when the user opens one to the LAN', () => {
    const plan = buildLaunchPlan(
      linux({ network: { mode: 'user', nic: 'virtio-net', portForwards: [{ hostPort: 2222, guestPort: 22 }, { hostPort: 8080, guestPort: 80, hostAddress: '0.0.0.0' }] } }),
      amd10(),
      ctx,
    );
    expect(values(plan.args, '-netdev')).toEqual(['user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=tcp:0.0.0.0:8080-:80']);
    expect(plan.warnings.map((w) => w.id)).toContain('port-forward-lan');
  });

  it('doubles commas in paths so they stay one value', () => {
    const plan = buildLaunchPlan(linux({ disks: [{ id: 'system', path: '/data/a,b/disk.qcow2' }] }), amd10(), ctx);
    expect(values(plan.args, '-drive').join(' ')).toContain('file=/data/a,,b/disk.qcow2');
  });

  it('virtiofs: memfd guest RAM, one daemon per share with its own flavour\'s flags', () => {
    const c = linux({ sharedFolders: [{ tag: 'a', hostPath: '/srv/a' }, { tag: 'b', hostPath: '/srv/b,c', readOnly: true }] });
    const rust: HostCaps = { ...amd10(), virtiofsd: { path: '/usr/lib/virtiofsd', flavour: 'rust', version: '1.13.2', features: ['migrate-precopy'], source: 'descriptor', sandbox: 'namespace', works: true, reason: null } };
    const plan = buildLaunchPlan(c, rust, ctx);
    expect(values(plan.args, '-machine')[0]).toContain('memory-backend=mem');
    expect(values(plan.args, '-object')).toContain(`memory-backend-memfd,id=mem,size=${c.memoryMiB}M,share=on`);
    expect(plan.sidecars.map((s) => s.args)).toEqual([
      ['--socket-path', '/run/gb/g/vfs0.sock', '--shared-dir', '/srv/a', '--cache', 'auto', '--sandbox', 'namespace'],
      ['--socket-path', '/run/gb/g/vfs1.sock', '--shared-dir', '/srv/b,c', '--cache', 'auto', '--sandbox', 'namespace', '--readonly'],
    ]);
    expect(values(plan.args, '-device')).toEqual(expect.arrayContaining(['vhost-user-fs-pci,chardev=vfs0,tag=a', 'vhost-user-fs-pci,chardev=vfs1,tag=b']));
    expect(plan.savable.ok).toBe(true);

    const cDaemon: HostCaps = { ...amd10(), virtiofsd: { path: '/usr/lib/qemu/virtiofsd', flavour: 'c', version: null, features: [], source: 'descriptor', sandbox: null, works: true, reason: null } };
    const old = buildLaunchPlan(c, cDaemon, ctx);
    expect(old.sidecars[1]!.args).toEqual(['--socket-path=/run/gb/g/vfs1.sock', '-o', 'source=/srv/b\\,c', '-o', 'cache=auto']);
    expect(old.warnings.map((w) => w.id)).toContain('share-readonly');
    expect(old.savable).toEqual({ ok: false, reason: expect.stringContaining('virtiofs') });
    // A daemon that failed its start test as this user: said at planning, not at a failed start.
    const broken: HostCaps = { ...amd10(), virtiofsd: { ...cDaemon.virtiofsd!, works: false, reason: 'unshare(CLONE_NEWPID | CLONE_NEWNS): Operation not permitted' } };
    expect(() => buildLaunchPlan(c, broken, ctx)).toThrow(expect.objectContaining({ field: 'sharedFolders.0.method', message: expect.stringMatching(/virtiofsd cannot start here as you \(unshare.*\): install the Rust virtiofsd, or share this folder with 9p/) }));
  });

  it('Windows 11: Secure Boot firmware with SMM, its own VARS copy, swtpm, Hyper-V flags on KVM', () => {
    const { config } = buildPreset('windows-11', { name: 'g', host, driversIso: '/isos/virtio-win.iso' });
    const plan = buildLaunchPlan(config, amd10(), ctx);
    expect(values(plan.args, '-machine')[0]).toMatch(/^q35,smm=on/);
    expect(values(plan.args, '-global')).toContain('driver=cfi.pflash01,property=secure,value=on');
    const vars = plan.prepare.find((p) => p.kind === 'vars');
    expect(vars).toMatchObject({ to: expect.stringMatching(/^\/vms\/g\/efivars-.*\.qcow2$/) });
    expect(values(plan.args, '-drive')).toEqual(expect.arrayContaining([expect.stringMatching(/^if=pflash,unit=0,format=raw,readonly=on,file=.*secboot|^if=pflash,unit=0,format=raw,readonly=on,file=.*(ms|secure)/i)]));
    expect(plan.sidecars.map((s) => s.kind)).toEqual(['swtpm']);
    expect(values(plan.args, '-tpmdev')).toEqual(['emulator,id=tpm0,chardev=tpm0-chr']);
    expect(values(plan.args, '-cpu')[0]).toMatch(/^host,hv_relaxed,/);
    expect(values(plan.args, '-rtc')[0]).toContain('base=localtime');
  });

  it('macOS on AMD: an Intel model with vendor=GenuineIntel, applesmc, no host CPU', () => {
    const { config } = buildPreset('macos-sonoma', { name: 'g', host });
    const plan = buildLaunchPlan(config, amd10(), ctx);
    const cpu = values(plan.args, '-cpu')[0]!;
    expect(cpu).toContain('vendor=GenuineIntel');
    expect(cpu).not.toMatch(/^host/);
    expect(values(plan.args, '-device').some((d) => d.startsWith('isa-applesmc,osk='))).toBe(true);
    expect(values(plan.args, '-global')).toContain('ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off');
    // OpenCore boots first.
    expect(values(plan.args, '-device')).toContain('ide-hd,bus=ide.0,drive=boot0,bootindex=0,id=media-boot0');
  });

  it('macOS keeps a power-of-two core count', () => {
    const { config } = buildPreset('macos-ventura', { name: 'g', host });
    const plan = buildLaunchPlan(parseVmConfig({ ...config, cpu: { cores: 6, model: 'auto' } }), amd10(), ctx);
    expect(values(plan.args, '-smp')[0]).toMatch(/^cpus=4,/);
    expect(plan.warnings.map((w) => w.id)).toContain('cpu-cores');
  });

  it('without KVM: TCG with a warning; asking for KVM explicitly is refused with the reason', () => {
    const plan = buildLaunchPlan(linux(), tcg72(), ctx);
    expect(values(plan.args, '-accel')).toEqual(['tcg']);
    expect(values(plan.args, '-cpu')).toEqual(['max']);
    expect(plan.warnings.map((w) => w.id)).toContain('tcg');
    expect(() => buildLaunchPlan(linux({ accel: 'kvm' }), tcg72(), ctx)).toThrow(/MSR 0x10a/);
    expect(() => buildLaunchPlan(linux({ cpu: { cores: 2, model: 'host' } }), tcg72(), ctx)).toThrow(PlanError);
  });

  it('sound: HDA where QEMU has no virtio-sound, PipeWire when a server runs, silence with a warning otherwise', () => {
    const c = linux({ audio: { device: 'virtio-sound', backend: 'auto' } });
    const p72 = buildLaunchPlan(c, tcg72(), ctx);
    expect(values(p72.args, '-device')).toContain('ich9-intel-hda,id=hda0');
    expect(p72.warnings.map((w) => w.id)).toContain('audio-virtio');
    const p10 = buildLaunchPlan(c, amd10(), ctx);
    expect(values(p10.args, '-device')).toContain('virtio-sound-pci,audiodev=snd0');
    expect(values(p10.args, '-audiodev')).toEqual(['pipewire,id=snd0']);
    const silent = buildLaunchPlan(c, { ...amd10(), session: { graphical: true, pipewire: false, pulse: false, uid: 1000 } }, ctx);
    expect(values(silent.args, '-audiodev')).toEqual(['none,id=snd0']);
    expect(silent.warnings.map((w) => w.id)).toContain('audio-silent');
  });

  it('sound auto: virtio-sound where the guest OS has a driver (OS table) and QEMU the device (8.2+), HDA otherwise', () => {
    const auto = { audio: { device: 'auto', backend: 'auto' } };
    // Linux on QEMU 10: virtio-sound; on 7.2 (no virtio-sound-pci): HDA, without a warning (nothing was asked for).
    expect(buildPreset('linux', { name: 'g', host }).config.audio.device).toBe('auto');
    const l10 = buildLaunchPlan(linux(auto), amd10(), ctx);
    expect(values(l10.args, '-device')).toContain('virtio-sound-pci,audiodev=snd0');
    expect(values(l10.args, '-device').some((d) => d.includes('hda'))).toBe(false);
    const l72 = buildLaunchPlan(linux(auto), tcg72(), ctx);
    expect(values(l72.args, '-device')).toEqual(expect.arrayContaining(['ich9-intel-hda,id=hda0', 'hda-duplex,bus=hda0.0,audiodev=snd0']));
    expect(l72.warnings.map((w) => w.id)).not.toContain('audio-virtio');
    // Windows (virtio-sound only through virtio-win) and macOS (no driver): HDA even on QEMU 10.
    for (const id of ['windows-11', 'macos-sonoma']) {
      const { config } = buildPreset(id, { name: 'g', host, driversIso: '/isos/virtio-win.iso' });
      expect(config.audio.device).toBe('auto');
      const args = buildLaunchPlan(config, amd10(), ctx).args;
      expect(values(args, '-device')).toContain('ich9-intel-hda,id=hda0');
      expect(values(args, '-device').some((d) => d.startsWith('virtio-sound'))).toBe(false);
    }
  });

  it('seccomp sandbox: as strict as the guest\'s features allow, per QEMU', () => {
    const sandbox = (c: ReturnType<typeof linux>, caps: HostCaps, o: { headless?: boolean } = {}) => {
      const p = buildLaunchPlan(c, caps, { ...ctx, ...o });
      expect(p.sandbox.value).toBe(values(p.args, '-sandbox')[0] ?? null);
      return p.sandbox;
    };
    const strict = 'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny';
    // Headless on QEMU 10: nothing to start (saves go to file:).
    expect(sandbox(linux(), amd10(), { headless: true })).toEqual({ value: strict, why: 'no process may be started' });
    expect(buildLaunchPlan(linux(), amd10(), { ...ctx, headless: true }).args.slice(0, 3)).toEqual(['-nodefaults', '-sandbox', strict]);
    // QEMU 7.2 saves through exec:, a process; a guest that cannot be saved needs none.
    expect(sandbox(linux(), tcg72(), { headless: true }).value).toBe(strict.replace('spawn=deny', 'spawn=allow'));
    const mac = parseVmConfig(buildPreset('macos-sonoma', { name: 'g', host }).config);
    expect(sandbox(mac, tcg72(), { headless: true }).value).toBe(strict);
    // SMB: QEMU starts smbd, which changes ids.
    const smbCaps = { ...amd10(), tools: { ...amd10().tools, smbd: '/usr/sbin/smbd' } };
    expect(sandbox(linux({ sharedFolders: [{ tag: 's', hostPath: '/srv/s', method: 'smb' }] }), smbCaps, { headless: true })).toEqual({
      value: 'on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=deny',
      why: 'processes allowed for the SMB share (QEMU starts smbd)',
    });
    // A window's toolkit may start helpers; Guestbay's own view (the default) needs none.
    expect(sandbox(linux({ display: { device: 'virtio-vga', viewer: 'window', window: 'gtk' } }), amd10()).why).toBe('processes allowed for the GTK/SDL window');
    expect(sandbox(linux(), amd10())).toEqual({ value: strict, why: 'no process may be started' });
    // Bridged: the setuid helper needs its privileges, which no_new_privs would take away.
    const bridged = linux({ network: { mode: 'bridge', bridge: 'br0', nic: 'virtio-net', portForwards: [] } });
    expect(sandbox(bridged, { ...amd10(), tools: { ...amd10().tools, qemuBridgeHelper: '/usr/lib/qemu/qemu-bridge-helper' } }, { headless: true })).toEqual({ value: null, why: expect.stringMatching(/qemu-bridge-helper/) });
    // A QEMU built without seccomp.
    expect(sandbox(linux(), { ...amd10(), qemu: { ...amd10().qemu!, sandboxOptions: [] } }, { headless: true }).value).toBeNull();
  });

  it('Guestbay\'s own view: VNC on a private unix socket, never TCP, no window', () => {
    const caps10 = amd10();
    // A QEMU that can save a guest with its vdagent chardev (10.1+; 7.2 and 10.0 cannot).
    const migrates = { ...caps10, qemu: { ...caps10.qemu!, vdagentMigrates: true } };
    const plan = buildLaunchPlan(linux(), migrates, ctx);
    expect(values(plan.args, '-vnc')).toEqual(['unix:/run/gb/g/vnc.sock']);
    expect(values(plan.args, '-display')).toEqual(['none']);
    expect(plan.display).toMatchObject({ viewer: 'guestbay', vncSocket: '/run/gb/g/vnc.sock', resizes: true });
    // The clipboard agent's port, through QEMU's own vdagent (both generations have it).
    expect(values(plan.args, '-chardev')).toContain('qemu-vdagent,id=vdagent0,name=vdagent,clipboard=on,mouse=off');
    expect(values(plan.args, '-device')).toContain('virtserialport,bus=vser0.0,chardev=vdagent0,name=com.redhat.spice.0');
    expect(plan.display.agent).toBe(true);
    expect(plan.savable.ok).toBe(true);
    // A QEMU without qemu-vdagent: no agent port.
    const noAgent = buildLaunchPlan(linux(), { ...migrates, qemu: { ...migrates.qemu!, chardevs: migrates.qemu!.chardevs.filter((c) => c !== 'qemu-vdagent') } }, ctx);
    expect(noAgent.display.agent).toBe(false);
    expect(values(noAgent.args, '-chardev').join(' ')).not.toContain('vdagent');
    // QEMU 7.2 and 10.0 (probed: a migration blocker): left out so the guest stays savable, and said why.
    const blocked = buildLaunchPlan(linux(), amd10(), ctx);
    expect(values(blocked.args, '-chardev').join(' ')).not.toContain('vdagent');
    expect(blocked.display.agentNote).toMatch(/cannot save a guest that has its clipboard channel/);
    expect(blocked.savable.ok).toBe(true);
    // macOS has no spice-vdagent: no port for it.
    const mac = buildPreset('macos-sonoma', { name: 'm', host }).config;
    expect(buildLaunchPlan(mac, migrates, ctx).display.agent).toBe(false);
  });

  it('QEMU\'s own window when chosen (GL only there); the VNC socket stays beside it unless GL is on', () => {
    const gtk = buildLaunchPlan(linux({ display: { device: 'virtio-vga', viewer: 'window', window: 'gtk' } }), amd10(), ctx);
    expect(values(gtk.args, '-display')).toEqual(['gtk']);
    expect(values(gtk.args, '-vnc')).toEqual(['unix:/run/gb/g/vnc.sock']);
    const desk = amd10();
    // A desktop QEMU (Arch's qemu-full) has the GL devices; the CI machine's does not.
    const glCaps = { ...desk, qemu: { ...desk.qemu!, devices: [...desk.qemu!.devices, 'virtio-vga-gl'], glDevices: ['virtio-vga-gl'] } };
    const gl = buildLaunchPlan(linux({ display: { device: 'virtio-vga', viewer: 'window', window: 'gtk', gl: true } }), glCaps, ctx);
    expect(values(gl.args, '-display')).toEqual(['gtk,gl=on']);
    expect(values(gl.args, '-device')).toContain('virtio-vga-gl');
    expect(values(gl.args, '-vnc')).toEqual([]);
    expect(gl.display.vncSocket).toBeUndefined();
    // GL asked for in Guestbay's view: said, and left off.
    const inApp = buildLaunchPlan(linux({ display: { device: 'virtio-vga', viewer: 'guestbay', gl: true } }), amd10(), ctx);
    expect(values(inApp.args, '-device')).toContain('virtio-vga');
    expect(inApp.warnings.map((w) => w.id)).toContain('display-gl');
    // SPICE for remote-viewer, where this QEMU has it.
    const caps = amd10();
    const spiceCaps = { ...caps, qemu: { ...caps.qemu!, chardevs: [...caps.qemu!.chardevs, 'spicevmc'] } };
    const spice = buildLaunchPlan(linux({ display: { device: 'virtio-vga', viewer: 'window', window: 'spice' } }), spiceCaps, ctx);
    expect(values(spice.args, '-spice')).toEqual(['unix=on,addr=/run/gb/g/spice.sock,disable-ticketing=on']);
    expect(values(spice.args, '-chardev')).toContain('spicevmc,id=vdagent0,name=vdagent');
    const noSpice = buildLaunchPlan(linux({ display: { device: 'virtio-vga', viewer: 'window', window: 'spice' } }), amd10(), ctx);
    expect(values(noSpice.args, '-spice')).toEqual([]);
    expect(noSpice.warnings.map((w) => w.id)).toContain('display-spice');
  });

  it('without a graphical session (or headless) a window choice falls back to Guestbay\'s view', () => {
    const c = linux({ display: { device: 'virtio-vga', viewer: 'window', window: 'gtk' } });
    const plan = buildLaunchPlan(c, { ...amd10(), session: { graphical: false, pipewire: false, pulse: false, uid: 1000 } }, ctx);
    expect(values(plan.args, '-vnc')).toEqual(['unix:/run/gb/g/vnc.sock']);
    expect(values(plan.args, '-display')).toEqual(['none']);
    expect(plan.warnings.map((w) => w.id)).toContain('display-headless');
    expect(values(buildLaunchPlan(c, amd10(), { ...ctx, headless: true }).args, '-display')).toEqual(['none']);
  });

  it('no display device: no screen anywhere', () => {
    const plan = buildLaunchPlan(linux({ display: { device: 'none' } }), amd10(), ctx);
    expect(values(plan.args, '-vnc')).toEqual([]);
    expect(plan.display.vncSocket).toBeUndefined();
  });

  it('QMP, pidfile and serial live in the private runtime dir; a socket path too long is refused', () => {
    const plan = buildLaunchPlan(linux(), amd10(), ctx);
    expect(values(plan.args, '-qmp')).toEqual(['unix:/run/gb/g/qmp.sock,server=on,wait=off', 'unix:/run/gb/g/qmp-ctl.sock,server=on,wait=off']);
    expect(values(plan.args, '-pidfile')).toEqual(['/run/gb/g/qemu.pid']);
    expect(plan.prepare).toContainEqual({ kind: 'dir', path: '/run/gb/g', mode: 0o700, why: expect.any(String) });
    expect(() => buildLaunchPlan(linux(), amd10(), { ...ctx, runtimeDir: `/run/${'x'.repeat(100)}` })).toThrow(/longer than Linux allows/);
  });

  it('PCI passthrough needs KVM and an IOMMU; a shared group is pointed out; the guest cannot be saved', () => {
    const c = linux({ pciDevices: [{ address: '0000:0b:00.0' }] });
    const plan = buildLaunchPlan(c, amd10(), ctx);
    expect(values(plan.args, '-device')).toContain('vfio-pci,host=0000:0b:00.0');
    expect(plan.warnings.map((w) => w.id)).toContain('iommu-group');
    expect(plan.savable.ok).toBe(false);
    expect(() => buildLaunchPlan(c, tcg72(), ctx)).toThrow(/KVM/);
  });

  it('is deterministic', () => {
    expect(buildLaunchPlan(linux(), amd10(), ctx)).toEqual(buildLaunchPlan(linux(), amd10(), ctx));
  });

  it('carries as data what others need: the CPU, the files the guest writes, the machine digest', () => {
    const { config } = buildPreset('windows-11', { name: 'g', host, iso: '/isos/win11.iso', driversIso: '/isos/virtio-win.iso' });
    const plan = buildLaunchPlan({ ...config, extraArgs: ['-global', 'kvm-pit.lost_tick_policy=discard'] }, amd10(), ctx);
    expect(plan.cpu).toBe(values(plan.args, '-cpu')[0]);
    expect(plan.cpu).toMatch(/^host,hv_relaxed/);
    // Disks and the UEFI variable store; never the installer or the drivers disc.
    expect(plan.writableFiles).toEqual([values(plan.args, '-drive').find((d) => d.startsWith('if=pflash,unit=1'))!.match(/file=([^,]+)/)![1], '/vms/g/disk.qcow2']);
    expect(plan.writableFiles.some((f) => f.includes('isos'))).toBe(false);

    // How a run begins is not the machine: paused or restoring, the digest stays.
    const paused = buildLaunchPlan({ ...config, extraArgs: ['-global', 'kvm-pit.lost_tick_policy=discard'] }, amd10(), { ...ctx, paused: true, incoming: true });
    expect(paused.args.slice(-5)).toEqual(['-S', '-incoming', 'defer', '-global', 'kvm-pit.lost_tick_policy=discard']);
    expect(paused.argsDigest).toBe(plan.argsDigest);
    expect(plan.argsDigest).toMatch(/^[0-9a-f]{64}$/);
    // A changed machine is another digest: more memory, or the user's own arguments.
    expect(buildLaunchPlan({ ...config, memoryMiB: config.memoryMiB + 1024 }, amd10(), ctx).argsDigest).not.toBe(plan.argsDigest);
    expect(buildLaunchPlan(config, amd10(), ctx).argsDigest).not.toBe(plan.argsDigest);
  });

  it('judges savability from the chosen CPU: an invariant TSC (macOS) cannot be migrated', () => {
    const { config } = buildPreset('macos-sonoma', { name: 'g', host });
    const plan = buildLaunchPlan(config, amd10(), ctx);
    expect(plan.cpu).toContain('+invtsc');
    expect(plan.savable).toEqual({ ok: false, reason: expect.stringContaining('invariant TSC') });
    const tsc = buildLaunchPlan({ ...config, cpu: { ...config.cpu, model: 'Skylake-Client-v4,vendor=GenuineIntel,+invtsc,tsc-frequency=3000000000' } }, amd10(), ctx);
    expect(tsc.savable.ok).toBe(true);
  });
});
