// The Guestbay folder in a guest's plan (issue 17): its method for the OS on this host and what
// it costs, said as warnings before it is paid; the same choice for the wizard's words
// (guestbayFolderChoice); and the pending diff of a running guest that has it (before the fix,
// the next start's side was built without the folder, so the diff showed it going away).
import { describe, expect, it } from 'vitest';
import { buildPreset } from '../../../src/shared/presets';
import { parseVmConfig } from '../../../src/shared/migrations';
import type { HostCaps } from '../../../src/shared/host-caps';
import { buildLaunchPlan } from '../../../src/main/qemu/plan';
import { guestbayFolderChoice } from '../../../src/main/qemu/plan/guestbay-folder';
import { pendingChanges } from '../../../src/main/vm/edit/pending';
import { hostFixture } from '../../fixtures/caps/hosts';

const FOLDER = '/home/u/Guestbay Shared';
const dirs = { vmDir: '/vms/g', runtimeDir: '/run/gb/g', logDir: '/vms/g/logs' };
const host = { threads: 8, memoryMiB: 16384 };
const c72 = () => hostFixture('qemu-7.2', 'amd-tcg');
const c10 = () => hostFixture('qemu-10.0', 'amd-kvm');

function guest(preset: string, extra: Record<string, unknown> = {}) {
  const { config } = buildPreset(preset, { name: 'g', host, diskSize: '64G' });
  return parseVmConfig({ ...config, guestbayFolder: true, ...extra });
}

/** A host whose QEMU lacks 9p and whose virtiofsd is missing: only SMB is left. */
function smbOnly(c: HostCaps): HostCaps {
  return { ...c, virtiofsd: null, tools: { ...c.tools, smbd: '/usr/sbin/smbd' }, qemu: { ...c.qemu!, devices: c.qemu!.devices.filter((d) => d !== 'virtio-9p-pci') } };
}

const ids = (w: { id: string }[]) => w.map((x) => x.id).filter((id) => id.startsWith('guestbay-folder'));

describe('the Guestbay folder in the plan', () => {
  it('QEMU 7.2 with the C virtiofsd: virtiofs, and the plan says the guest cannot be saved', () => {
    const plan = buildLaunchPlan(guest('linux'), c72(), { ...dirs, guestbayFolder: FOLDER });
    expect(plan.args.join(' ')).toContain('tag=guestbay');
    expect(plan.sidecars.some((s) => s.kind === 'virtiofsd' && s.args.join(' ').includes(FOLDER))).toBe(true);
    const cost = plan.warnings.find((w) => w.id === 'guestbay-folder-cost');
    expect(cost?.message).toMatch(/C virtiofsd.*cannot be saved.*untick "Share the Guestbay folder"/);
    expect(plan.savable.ok).toBe(false);
    // Off: neither its arguments nor its cost.
    const off = buildLaunchPlan({ ...guest('linux'), guestbayFolder: false }, c72(), { ...dirs, guestbayFolder: FOLDER });
    expect(off.args.join(' ')).not.toContain('guestbay');
    expect(ids(off.warnings)).toEqual([]);
    expect(off.savable.ok).toBe(true);
  });

  it('QEMU 10 with the Rust virtiofsd (migrate-precopy): virtiofs at no cost to save', () => {
    const plan = buildLaunchPlan(guest('linux'), c10(), { ...dirs, guestbayFolder: FOLDER });
    expect(plan.args.join(' ')).toContain('tag=guestbay');
    expect(ids(plan.warnings)).toEqual([]);
    expect(plan.savable.ok).toBe(true);
  });

  it('SMB where neither virtiofs nor 9p works: the plan says SMB keeps save', () => {
    const plan = buildLaunchPlan(guest('linux'), smbOnly(c72()), { ...dirs, guestbayFolder: FOLDER });
    expect(plan.args.join(' ')).toContain(`smb=${FOLDER}`);
    expect(plan.warnings.find((w) => w.id === 'guestbay-folder-smb')?.message).toMatch(/SMB.*keeps save working.*one SMB share per guest/);
    expect(plan.savable.ok).toBe(true);
  });

  it('the wizard\'s words come from the same choice: 9p for macOS (mounted, it blocks save and migration), SMB for Windows without drivers', () => {
    const mac = guestbayFolderChoice(guest('macos-sonoma'), c72(), FOLDER);
    expect(mac.share?.method).toBe('9p');
    expect(mac.notes.map((n) => n.message).join()).toMatch(/9p.*mounted.*cannot save or migrate/);
    const win = guestbayFolderChoice(guest('windows-11'), { ...c72(), tools: { ...c72().tools, smbd: '/usr/sbin/smbd' } }, FOLDER);
    expect(win.share?.method).toBe('smb');
    expect(guestbayFolderChoice(guest('linux'), c72(), FOLDER).share?.method).toBe('virtiofs');
  });

  it('Looking Glass on KVMFR next to the folder over virtiofs: said, where the plan can know', () => {
    const plan = buildLaunchPlan(guest('linux', { lookingGlass: { memory: 'kvmfr' } }), c10(), { ...dirs, guestbayFolder: FOLDER });
    expect(plan.warnings.find((w) => w.id === 'guestbay-folder-looking-glass')?.message).toMatch(/Looking Glass cannot use \/dev\/kvmfr0/);
  });

  it('the pending diff of a running guest with the folder shows nothing when nothing changed', () => {
    const config = guest('linux');
    const caps = c72();
    const ctx = { ...dirs, guestbayFolder: FOLDER };
    const running = { ...buildLaunchPlan(config, caps, ctx), config };
    expect(pendingChanges({ running, live: null, saved: config, caps, dirs: ctx })).toBeNull();
    // Built without the folder (what the guest page did before), the next start seemed to lose it.
    const wrong = pendingChanges({ running, live: null, saved: config, caps, dirs });
    expect(wrong?.lines.some((l) => l.op === 'removed' && l.text.includes('tag=guestbay'))).toBe(true);
    // Turned off while it runs: the diff shows the folder's arguments going.
    const p = pendingChanges({ running, live: null, saved: { ...config, guestbayFolder: false }, caps, dirs: ctx });
    expect(p?.lines.some((l) => l.op === 'removed' && l.text.includes('tag=guestbay'))).toBe(true);
  });
});
