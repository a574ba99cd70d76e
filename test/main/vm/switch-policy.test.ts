import { describe, expect, it } from 'vitest';
import { parseVmConfig } from '../../../src/shared/migrations';
import type { HostCaps } from '../../../src/shared/host-caps';
import type { VmConfig } from '../../../src/shared/vm-config';
import { decideSwitch, type RunningGuest } from '../../../src/main/vm/switch-policy';

interface Spec {
  title?: string;
  memoryMiB?: number;
  usb?: { vendorId: string; productId: string; label?: string }[];
  pci?: { address: string; label?: string }[];
}

const vm = (name: string, s: Spec = {}): VmConfig =>
  parseVmConfig({
    schemaVersion: 1,
    name,
    ...(s.title ? { title: s.title } : {}),
    os: { family: 'linux', version: 'generic' },
    cpu: { cores: 1 },
    memoryMiB: s.memoryMiB ?? 1024,
    usb: { controller: 'xhci', hostDevices: s.usb ?? [] },
    pciDevices: s.pci ?? [],
  });

const up = (config: VmConfig, state: RunningGuest['state'] = 'running', unsavable?: string): RunningGuest => ({
  config,
  state,
  savable: unsavable ? { ok: false, reason: unsavable } : { ok: true },
});

// Plenty of RAM unless a test is about memory.
const bigHost = { memoryMiB: 1024 * 1024, availableMiB: 900 * 1024 };

const receiver = { vendorId: '046d', productId: 'c52b', label: 'Logitech receiver' };
const gpuGroups: HostCaps['iommu']['groups'] = [
  {
    id: 14,
    devices: [
      { address: '0000:01:00.0', vendorId: '10de', deviceId: '2206', classCode: '0300', driver: 'vfio-pci', description: 'NVIDIA RTX 3080' },
      { address: '0000:01:00.1', vendorId: '10de', deviceId: '1aef', classCode: '0403', driver: 'vfio-pci', description: 'NVIDIA HD Audio' },
    ],
  },
  {
    id: 15,
    devices: [
      { address: '0000:02:00.0', vendorId: '1b21', deviceId: '2142', classCode: '0c03', driver: 'xhci_hcd', description: 'ASMedia USB controller' },
    ],
  },
];

describe('decideSwitch: target state', () => {
  const target = vm('sonoma', { title: 'macOS Sonoma' });

  it('does nothing for a target that is already running', () => {
    const d = decideSwitch(target, 'running', [up(vm('win11', { usb: [receiver] }))], bigHost);
    expect(d).toEqual({ evict: [], then: 'nothing', summary: 'macOS Sonoma is already running', overlap: false });
  });

  it('resumes a paused target, restores a saved one, starts a stopped or crashed one', () => {
    expect(decideSwitch(target, 'paused', [], bigHost)).toEqual({ evict: [], then: 'resume', summary: 'Resume macOS Sonoma', overlap: false });
    expect(decideSwitch(target, 'saved', [], bigHost)).toEqual({ evict: [], then: 'restore', summary: 'Restore macOS Sonoma', overlap: false });
    expect(decideSwitch(target, 'stopped', [], bigHost)).toEqual({ evict: [], then: 'start', summary: 'Start macOS Sonoma', overlap: false });
    expect(decideSwitch(target, 'crashed', [], bigHost)).toEqual({ evict: [], then: 'start', summary: 'Start macOS Sonoma', overlap: false });
  });

  it('uses the name when there is no title', () => {
    expect(decideSwitch(vm('deb'), 'stopped', [], bigHost).summary).toBe('Start deb');
  });

  it('never evicts the target itself when it is listed among the running guests', () => {
    const t = vm('sonoma', { title: 'macOS Sonoma', usb: [receiver], pci: [{ address: '0000:01:00.0' }], memoryMiB: 8192 });
    const host = { memoryMiB: 8192, availableMiB: 1024 };
    const d = decideSwitch(t, 'paused', [up(t, 'paused')], host, { reserveMiB: 0, iommuGroups: gpuGroups });
    expect(d).toEqual({ evict: [], then: 'resume', summary: 'Resume macOS Sonoma', overlap: false });
  });
});

describe('decideSwitch: devices', () => {
  it('saves a guest holding the same USB device, naming the device', () => {
    const target = vm('sonoma', { title: 'macOS Sonoma', usb: [receiver] });
    const win = vm('win11', { title: 'Windows 11', usb: [{ vendorId: '046d', productId: 'c52b' }] });
    const d = decideSwitch(target, 'saved', [up(win)], bigHost);
    expect(d.evict).toEqual([
      { guest: 'win11', action: 'save', because: 'holds the USB device 046d:c52b (Logitech receiver) that macOS Sonoma needs' },
    ]);
    expect(d.then).toBe('restore');
    expect(d.summary).toBe('Save Windows 11, then restore macOS Sonoma');
  });

  it('does not treat a different product of the same vendor as a conflict', () => {
    const target = vm('sonoma', { usb: [receiver] });
    const other = vm('win11', { usb: [{ vendorId: '046d', productId: 'c077' }] });
    expect(decideSwitch(target, 'stopped', [up(other)], bigHost).evict).toEqual([]);
  });

  it('evicts a guest holding the same PCI device', () => {
    const target = vm('sonoma', { title: 'macOS Sonoma', pci: [{ address: '0000:01:00.0', label: 'RTX 3080' }] });
    const win = vm('win11', { title: 'Windows 11', pci: [{ address: '0000:01:00.0' }] });
    const d = decideSwitch(target, 'stopped', [up(win, 'running', 'holds a passed-through PCI device')], bigHost);
    expect(d.evict).toEqual([
      {
        guest: 'win11',
        action: 'shutdown',
        because:
          "holds the PCI device 0000:01:00.0 (RTX 3080) that macOS Sonoma needs; shut down because it can't be saved: holds a passed-through PCI device",
      },
    ]);
    expect(d.summary).toBe('Shut down Windows 11, then start macOS Sonoma');
  });

  it('evicts a guest holding another device of the same IOMMU group', () => {
    const target = vm('sonoma', { title: 'macOS Sonoma', pci: [{ address: '0000:01:00.0' }] });
    const win = vm('win11', { pci: [{ address: '0000:01:00.1' }] });
    const d = decideSwitch(target, 'stopped', [up(win, 'running', 'holds a passed-through PCI device')], bigHost, {
      iommuGroups: gpuGroups,
    });
    expect(d.evict).toHaveLength(1);
    expect(d.evict[0]).toMatchObject({ guest: 'win11', action: 'shutdown' });
    expect(d.evict[0]!.because).toBe(
      'holds the PCI device 0000:01:00.1 (NVIDIA HD Audio), which shares IOMMU group 14 with ' +
        "0000:01:00.0 (NVIDIA RTX 3080) that macOS Sonoma needs; shut down because it can't be saved: holds a passed-through PCI device",
    );
  });

  it('needs the IOMMU groups to see a group conflict, and ignores devices in other groups', () => {
    const target = vm('sonoma', { pci: [{ address: '0000:01:00.0' }] });
    const sibling = up(vm('win11', { pci: [{ address: '0000:01:00.1' }] }));
    const elsewhere = up(vm('deb', { pci: [{ address: '0000:02:00.0' }] }));
    expect(decideSwitch(target, 'stopped', [sibling, elsewhere], bigHost).evict).toEqual([]);
    const d = decideSwitch(target, 'stopped', [sibling, elsewhere], bigHost, { iommuGroups: gpuGroups });
    expect(d.evict.map((s) => s.guest)).toEqual(['win11']);
  });

  it('lists every device a guest holds that the target needs', () => {
    const target = vm('sonoma', { usb: [receiver], pci: [{ address: '0000:02:00.0', label: 'USB card' }] });
    const win = vm('win11', { usb: [receiver], pci: [{ address: '0000:02:00.0' }] });
    const d = decideSwitch(target, 'stopped', [up(win)], bigHost);
    expect(d.evict[0]!.because).toBe(
      'holds the USB device 046d:c52b (Logitech receiver) that sonoma needs; holds the PCI device 0000:02:00.0 (USB card) that sonoma needs',
    );
  });

  it('evicts paused and starting guests too, and only the conflicting ones, in the order given', () => {
    const target = vm('sonoma', { title: 'macOS Sonoma', usb: [receiver] });
    const running = [
      up(vm('a', { title: 'Arch', usb: [receiver] }), 'paused'),
      up(vm('b', { title: 'Bystander' })),
      up(vm('c', { title: 'Compiler', usb: [receiver] }), 'starting', 'QEMU is still starting'),
    ];
    const d = decideSwitch(target, 'stopped', running, bigHost);
    expect(d.evict.map((s) => [s.guest, s.action])).toEqual([
      ['a', 'save'],
      ['c', 'shutdown'],
    ]);
    expect(d.summary).toBe('Save Arch and shut down Compiler, then start macOS Sonoma');
  });

  it('joins three steps with commas', () => {
    const target = vm('t', { usb: [receiver] });
    const running = ['a', 'b', 'c'].map((n) => up(vm(n, { usb: [receiver] })));
    expect(decideSwitch(target, 'saved', running, bigHost).summary).toBe('Save a, save b and save c, then restore t');
  });
});

describe('decideSwitch: memory', () => {
  const host32 = { memoryMiB: 32768, availableMiB: 4096 };
  const opts = { reserveMiB: 0 };

  it('evicts nothing when everything fits, exactly to the limit', () => {
    const target = vm('t', { memoryMiB: 16384 });
    const d = decideSwitch(target, 'stopped', [up(vm('a', { memoryMiB: 16384 }))], host32, opts);
    expect(d.evict).toEqual([]);
    expect(d.summary).toBe('Start t');
  });

  it('evicts the fewest guests: one big guest rather than two small ones', () => {
    const target = vm('t', { title: 'Target', memoryMiB: 16384 });
    const running = [
      up(vm('a', { memoryMiB: 8192 })),
      up(vm('b', { memoryMiB: 8192 })),
      up(vm('c', { title: 'Big', memoryMiB: 12288 })),
    ];
    const d = decideSwitch(target, 'stopped', running, host32, opts);
    expect(d.evict).toEqual([
      {
        guest: 'c',
        action: 'save',
        because: 'uses 12 GiB of memory that Target needs (Target needs 16 GiB; this host has 32 GiB and keeps 0 B for itself)',
      },
    ]);
    expect(d.summary).toBe('Save Big, then start Target');
  });

  it('prefers a paused guest among sets of the same size', () => {
    const target = vm('t', { memoryMiB: 16384 });
    const running = [up(vm('busy', { memoryMiB: 12288 })), up(vm('idle', { memoryMiB: 8192 }), 'paused')];
    // Need 4 GiB: either guest alone frees enough; the paused one costs the user nothing visible.
    const d = decideSwitch(target, 'stopped', running, host32, opts);
    expect(d.evict.map((s) => s.guest)).toEqual(['idle']);
  });

  it('then prefers the largest guest', () => {
    const target = vm('t', { memoryMiB: 16384 });
    const running = [up(vm('small', { memoryMiB: 4096 })), up(vm('large', { memoryMiB: 8192 }))];
    // Need 4 GiB: either frees enough.
    expect(decideSwitch(target, 'stopped', running, { memoryMiB: 24576, availableMiB: 0 }, opts).evict.map((s) => s.guest)).toEqual([
      'large',
    ]);
  });

  it('does not trade a smaller count for paused guests', () => {
    const target = vm('t', { memoryMiB: 16384 });
    const running = [
      up(vm('p1', { memoryMiB: 4096 }), 'paused'),
      up(vm('p2', { memoryMiB: 4096 }), 'paused'),
      up(vm('p3', { memoryMiB: 4096 }), 'paused'),
      up(vm('r', { memoryMiB: 12288 })),
    ];
    // Need 12 GiB: three paused guests or one running one; one eviction wins.
    expect(decideSwitch(target, 'stopped', running, host32, opts).evict.map((s) => s.guest)).toEqual(['r']);
  });

  it('chooses a minimal pair, preferring paused members', () => {
    const target = vm('t', { memoryMiB: 8192 });
    const running = [
      up(vm('a', { memoryMiB: 6144 })),
      up(vm('b', { memoryMiB: 6144 })),
      up(vm('c', { memoryMiB: 6144 }), 'paused'),
      up(vm('d', { memoryMiB: 6144 })),
    ];
    // 8 + 24 = 32 GiB against 20 GiB: need 12 GiB, so two guests; c is paused.
    const d = decideSwitch(target, 'stopped', running, { memoryMiB: 20480, availableMiB: 0 }, opts);
    expect(d.evict.map((s) => s.guest)).toEqual(['a', 'c']);
  });

  it('counts memory freed by device evictions before evicting for memory', () => {
    const target = vm('t', { memoryMiB: 16384, usb: [receiver] });
    const running = [up(vm('holder', { memoryMiB: 16384, usb: [receiver] })), up(vm('other', { memoryMiB: 16384 }))];
    const d = decideSwitch(target, 'stopped', running, host32, opts);
    expect(d.evict.map((s) => s.guest)).toEqual(['holder']);
  });

  it('keeps the larger of 2 GiB and 10% of RAM for the host by default', () => {
    const target = vm('t', { memoryMiB: 8192 });
    // 16 GiB host: reserve 2 GiB (10% is less), budget 14 GiB.
    const host16 = { memoryMiB: 16384, availableMiB: 0 };
    expect(decideSwitch(target, 'stopped', [up(vm('a', { memoryMiB: 6144 }))], host16).evict).toEqual([]);
    const over = decideSwitch(target, 'stopped', [up(vm('a', { memoryMiB: 6145 }))], host16);
    expect(over.evict.map((s) => s.guest)).toEqual(['a']);
    expect(over.evict[0]!.because).toContain('keeps 2 GiB for itself');
    // 64 GiB host: reserve 10% = 6554 MiB, budget 58982 MiB.
    const host64 = { memoryMiB: 65536, availableMiB: 0 };
    expect(decideSwitch(target, 'stopped', [up(vm('a', { memoryMiB: 50790 }))], host64).evict).toEqual([]);
    expect(decideSwitch(target, 'stopped', [up(vm('a', { memoryMiB: 50791 }))], host64).evict).toHaveLength(1);
  });

  it('saves while the target restores when all of them fit at once within half the reserve; one after the other otherwise', () => {
    // 16 GiB host, reserve 2 GiB: both at once may use up to 15 GiB.
    const host16 = { memoryMiB: 16384, availableMiB: 0 };
    const target = vm('t', { memoryMiB: 8192 });
    const within = decideSwitch(target, 'saved', [up(vm('a', { memoryMiB: 7168 }))], host16);
    expect(within.evict.map((s) => [s.guest, s.action])).toEqual([['a', 'save']]);
    expect(within).toMatchObject({ then: 'restore', overlap: true });
    expect(decideSwitch(target, 'saved', [up(vm('a', { memoryMiB: 7169 }))], host16).overlap).toBe(false);
    // A guest that cannot be saved is shut down first; a held device is let go first; a paused target just resumes.
    expect(decideSwitch(target, 'saved', [up(vm('a', { memoryMiB: 7168 }), 'running', 'no')], host16).overlap).toBe(false);
    const withUsb = vm('u', { memoryMiB: 1024, usb: [receiver] });
    expect(decideSwitch(vm('t', { memoryMiB: 1024, usb: [receiver] }), 'saved', [up(withUsb)], host16).overlap).toBe(false);
    expect(decideSwitch(target, 'paused', [up(vm('a', { memoryMiB: 7168 }))], host16).overlap).toBe(false);
    // Nothing evicted: nothing to overlap.
    expect(decideSwitch(target, 'saved', [up(vm('a', { memoryMiB: 1024 }))], host16)).toMatchObject({ evict: [], overlap: false });
  });

  it('takes an explicit reserve', () => {
    const target = vm('t', { memoryMiB: 8192 });
    const running = [up(vm('a', { memoryMiB: 8192 }))];
    const host = { memoryMiB: 20480, availableMiB: 0 };
    expect(decideSwitch(target, 'stopped', running, host, { reserveMiB: 4096 }).evict).toEqual([]);
    expect(decideSwitch(target, 'stopped', running, host, { reserveMiB: 4097 }).evict).toHaveLength(1);
  });

  it('evicts everyone when the target cannot fit even alone', () => {
    const target = vm('t', { memoryMiB: 65536 });
    const running = [up(vm('a', { memoryMiB: 1024 })), up(vm('b', { memoryMiB: 2048 }), 'paused')];
    expect(decideSwitch(target, 'stopped', running, host32, opts).evict.map((s) => s.guest)).toEqual(['a', 'b']);
  });

  it('shuts down an unsavable guest evicted for memory, saying why', () => {
    const target = vm('t', { memoryMiB: 16384 });
    const running = [up(vm('gpu', { memoryMiB: 24576 }), 'running', 'holds a passed-through PCI device')];
    const [step] = decideSwitch(target, 'stopped', running, host32, opts).evict;
    expect(step).toMatchObject({ guest: 'gpu', action: 'shutdown' });
    expect(step!.because).toMatch(/^uses 24 GiB of memory that t needs .*; shut down because it can't be saved: holds a passed-through PCI device$/);
  });

  it('stays fast and minimal with many guests', () => {
    const target = vm('t', { memoryMiB: 4096 });
    const running = Array.from({ length: 20 }, (_, i) => up(vm(`g${i}`, { memoryMiB: 1024 + i * 64 })));
    const d = decideSwitch(target, 'stopped', running, { memoryMiB: 32768, availableMiB: 0 }, opts);
    // 4096 + sum(1024..2240 step 64) = 4096 + 32640 = 36736; need 3968: the two largest (2240 + 2176).
    expect(d.evict.map((s) => s.guest)).toEqual(['g18', 'g19']);
  });
});
