// Other CPU architectures, booted for real under TCG through Guestbay's own start (issue 21):
// Debian's arm64 installer from an ISO through the aarch64 preset (AArch64 UEFI → GRUB → the
// installer's first question on the serial console), then stopped. One boot per architecture:
// emulated boots are slow, more so on a loaded machine, so the deadlines are generous polls.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseVmConfig } from '../../../src/shared/migrations';
import { createGuest } from '../../../src/main/vm/create';
import { isAlive } from '../../../src/main/vm/process-info';
import { readRecord } from '../../../src/main/vm/runtime-files';
import { ROOT } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';
import { riscvKernel } from '../../helpers/riscv64';

let w: Awaited<ReturnType<typeof guestWorld>>;
let iso: string;
beforeAll(async () => {
  w = await guestWorld('gb-arch-');
  const built = await execa('bash', [join(ROOT, 'test/guest/installer-iso-arm64.sh')], { timeout: 10 * 60_000 });
  iso = built.stdout.trim().split('\n').at(-1)!;
}, 11 * 60_000);
afterAll(() => w?.cleanup());

/** The serial log as text: the installer draws its dialogs with terminal escapes. */
const plainSerial = async (name: string) => (await w.serial(name)).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

describe('an ARM (aarch64) guest', () => {
  it('boots Debian\'s arm64 installer ISO through the aarch64 preset to its first question, then stops', async () => {
    await createGuest(w.store, { preset: 'linux-aarch64', name: 'arm', diskSize: '64M', iso });
    const config = await w.store.get('arm');
    expect(config).toMatchObject({ arch: 'aarch64', machine: 'virt', firmware: 'uefi' });
    // Small and quiet: no sound card, no share; the preset's own machine, firmware and devices.
    await w.store.update(parseVmConfig({ ...config, cpu: { cores: 2, model: 'auto' }, memoryMiB: 1024, audio: { device: 'none', backend: 'none' } }));

    const sup = w.supervisor();
    const st = await sup.start('arm', { headless: true });
    expect(st.state).toBe('running');
    const record = await readRecord(w.store.dirs('arm').runtimeDir);
    expect(record?.plan.binary).toMatch(/qemu-system-aarch64$/);
    expect(record?.plan.accel).toBe('tcg');

    // UEFI starts GRUB from the CD, GRUB the installer's kernel, and the installer asks for a language.
    await expect.poll(() => plainSerial('arm'), { timeout: 25 * 60_000, interval: 2000 }).toMatch(/Select a language|Choose the language/);
    const log = await plainSerial('arm');
    expect(log).toMatch(/Linux version [^\n]*aarch64|Booting Linux on physical CPU/);

    const pid = record!.qemuPid;
    const stopped = await sup.stop('arm', { force: true });
    expect(stopped.state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
  }, 30 * 60_000);
});

describe('a RISC-V (riscv64) guest', () => {
  it('boots Debian trixie\'s riscv64 kernel through the riscv64 preset with QEMU\'s own OpenSBI, to its marker', async (t) => {
    const k = await riscvKernel();
    if (!k) return t.skip();
    await createGuest(w.store, { preset: 'linux-riscv64', name: 'rv', diskSize: '64M', kernel: k.kernel, initrd: k.initrd, append: 'console=ttyS0 panic=-1' });
    const config = await w.store.get('rv');
    expect(config).toMatchObject({ arch: 'riscv64', machine: 'virt', firmware: 'bios' });
    await w.store.update(parseVmConfig({ ...config, cpu: { cores: 1, model: 'auto' }, memoryMiB: 512, audio: { device: 'none', backend: 'none' } }));

    const sup = w.supervisor();
    expect((await sup.start('rv', { headless: true })).state).toBe('running');
    const record = await readRecord(w.store.dirs('rv').runtimeDir);
    expect(record?.plan.binary).toMatch(/qemu-system-riscv64$/);
    expect(record?.plan.args).not.toContain('-bios'); // QEMU's own OpenSBI, its default firmware
    await expect.poll(() => w.serial('rv'), { timeout: 15 * 60_000, interval: 1000 }).toMatch(/GB:RISCV64-UP riscv64 \S+-riscv64/);
    expect(await w.serial('rv')).toMatch(/OpenSBI v\d/);
    const pid = record!.qemuPid;
    const stopped = await sup.stop('rv', { force: true });
    expect(stopped.state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
  }, 25 * 60_000);
});
