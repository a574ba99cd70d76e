// The IOMMU page (issue 19, the app's side) over the real API, fed by the fixture hosts of
// test/fixtures/host/pci through the API's passthrough host: what `guestbay iommu` prints, as a page.
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Root } from '../../src/renderer/Root';
import { pciHost, type PciHostName } from '../main/passthrough/fixtures';
import { realClient } from './client';

afterEach(() => {
  cleanup();
  location.hash = '';
});

async function openPage(host: PciHostName) {
  const h = await pciHost(host);
  const ctx = await realClient('gb-ui-iommu-', { passthroughHost: { root: h.root, env: { PATH: '/usr/bin' } } });
  onTestFinished(() => ctx.world.cleanup());
  location.hash = '#/host/iommu';
  render(<Root client={ctx.client} />);
  await screen.findByTestId('iommu-state', {}, { timeout: 20_000 });
  return ctx;
}

describe('IOMMU page', () => {
  it('is reached from the Host page', async () => {
    const h = await pciHost('desktop-gpu-alone');
    const ctx = await realClient('gb-ui-iommu-', { passthroughHost: { root: h.root } });
    onTestFinished(() => ctx.world.cleanup());
    location.hash = '#/host';
    render(<Root client={ctx.client} />);
    await userEvent.setup().click(await screen.findByTestId('host-iommu-link'));
    expect(location.hash).toBe('#/host/iommu');
    expect((await screen.findByTestId('iommu-state', {}, { timeout: 20_000 })).dataset.enabled).toBe('true');
    expect(screen.getByTestId('nav-host').getAttribute('aria-current')).toBeNull();
    expect(screen.getByTestId('nav-host').className).toContain('active');
  });

  it('a GPU alone with its sound: on, every group a card, the verdicts in words, reset shown', async () => {
    await openPage('desktop-gpu-alone');
    expect(screen.getByTestId('iommu-state').textContent).toContain('The IOMMU is on: 8 groups');
    expect(screen.getByTestId('iommu-state').textContent).toContain('intel_iommu=on iommu=pt');
    expect(screen.queryByTestId('iommu-steps')).toBeNull(); // already on the kernel command line
    const gpu = screen.getByTestId('iommu-verdict-0000:01:00.0');
    expect(gpu.dataset.kind).toBe('alone');
    expect(gpu.textContent).toContain('Can be passed');
    expect(gpu.textContent).toContain('Graphics card · 0000:01:00.0 · group 1');
    expect(screen.getByTestId('iommu-verdict-0000:01:00.0-along').textContent).toBe('Goes with it: NVIDIA Corporation GA102 High Definition Audio Controller (0000:01:00.1) — its sound over HDMI/DisplayPort.');
    expect(gpu.textContent).toMatch(/Reset: function-level \(FLR\)/);
    // On the host's drivers now: the command that hands the card and its sound to vfio-pci.
    expect(screen.getByTestId('iommu-verdict-0000:01:00.0-bind').querySelector('pre')!.textContent).toBe('guestbay vfio bind 0000:01:00.0 0000:01:00.1 --yes');
    // The sound function is shown with its GPU, not as a card of its own.
    expect(screen.queryByTestId('iommu-verdict-0000:01:00.1')).toBeNull();
    // Both USB controllers are alone in their groups.
    expect(screen.getByTestId('iommu-verdict-0000:00:14.0').textContent).toContain('USB controller · 0000:00:14.0 · group 3');
    expect(screen.getByTestId('iommu-verdict-0000:03:00.0').dataset.kind).toBe('alone');
    // The iGPU the host's display runs on: the single-GPU note.
    expect(screen.getByTestId('iommu-verdict-0000:00:02.0').textContent).toMatch(/single-GPU passthrough/);
    // Every group, with each device's class, ids, driver and reset.
    expect(screen.getAllByTestId(/^iommu-group-\d+$/)).toHaveLength(8);
    const group4 = within(screen.getByTestId('iommu-group-4'));
    expect(group4.getByText(/Group 4/).textContent).toContain('3 devices');
    const sata = screen.getByTestId('iommu-device-0000:00:1f.2').textContent!;
    expect(sata).toContain('SATA controller');
    expect(sata).toMatch(/8086:[0-9a-f]{4}/);
    expect(sata).toContain('driver ahci');
    expect(screen.getByTestId('iommu-device-0000:01:00.0').textContent).toContain('resets cleanly (FLR)');
  });

  it('the group filter keeps only the groups with a GPU or USB controller', async () => {
    await openPage('desktop-gpu-alone');
    await userEvent.setup().click(screen.getByTestId('iommu-only-passable'));
    expect(screen.getAllByTestId(/^iommu-group-\d+$/).map((g) => g.dataset.testid)).toEqual(expect.not.arrayContaining(['iommu-group-0', 'iommu-group-6']));
    expect(screen.queryByTestId('iommu-group-1')).not.toBeNull();
  });

  it('a GPU that needs its whole group: says which devices come along, and which bridge stays', async () => {
    await openPage('desktop-gpu-with-nic');
    const gpu = screen.getByTestId('iommu-verdict-0000:0a:00.0');
    expect(gpu.dataset.kind).toBe('whole-group');
    expect(gpu.textContent).toContain('Only with its whole group');
    expect(gpu.textContent).toContain('0000:0b:00.0 (Intel Corporation I211 Gigabit Network Connection) must go to the guest with it');
    expect(gpu.textContent).toContain('PCI bridge 0000:00:03.1 stays with the host');
    // Not on the kernel command line yet: the parameter and the systemd-boot steps.
    expect(screen.getByTestId('iommu-params').textContent).toBe('iommu=pt');
    expect(screen.getByTestId('iommu-boot-loader').textContent).toContain('(systemd-boot)');
    const steps = [...screen.getByTestId('iommu-steps').querySelectorAll('li')].map((li) => li.textContent);
    // On already: no firmware step.
    expect(steps).toEqual(['Add iommu=pt to the "options" line of each boot entry: /boot/loader/entries/manjaro.conf.', 'Reboot. Guestbay reads the groups again when this page opens.']);
  });

  it('an AMD desktop whose USB controller sits with the chipset: cannot, with the reason', async () => {
    await openPage('amd-usb-chipset');
    const cannot = screen.getAllByTestId(/^iommu-verdict-/).filter((v) => v.dataset.kind === 'cannot');
    expect(cannot.length).toBeGreaterThan(0);
    expect(cannot[0]!.textContent).toContain('Cannot be passed');
    expect(cannot[0]!.textContent).toMatch(/IOMMU group \d+ also holds .* — the chipset/);
    expect(screen.queryByTestId(`${cannot[0]!.dataset.testid}-bind`)).toBeNull();
  });

  it('a laptop with the IOMMU off: off, the kernel parameter for Intel and the GRUB steps, no groups', async () => {
    await openPage('laptop-no-iommu');
    const state = screen.getByTestId('iommu-state');
    expect(state.dataset.enabled).toBe('false');
    expect(state.textContent).toContain('The IOMMU is off: no PCI device can be passed to a guest until it is on');
    expect(screen.getByTestId('iommu-params').textContent).toBe('intel_iommu=on iommu=pt');
    expect(screen.getByTestId('iommu-boot-loader').textContent).toContain('this Intel computer');
    const steps = [...screen.getByTestId('iommu-steps').querySelectorAll('li')].map((li) => li.textContent);
    expect(steps).toEqual(['Turn on VT-d in the firmware (BIOS/UEFI) settings.', 'Add intel_iommu=on iommu=pt to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub.', 'Write GRUB\'s menu again: sudo update-grub', 'Reboot. Guestbay reads the groups again when this page opens.']);
    expect(screen.getByTestId('iommu-groups').textContent).toContain('No groups: the IOMMU is off.');
  });

  it('an Intel iGPU with GVT-g types: each type with what the guest gets and how many are free, and what the host needs', async () => {
    await openPage('intel-igpu-gvtg');
    const gvt = screen.getByTestId('iommu-gvt-0000:00:02.0');
    const rows = [...gvt.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['i915-GVTg_V5_4', 'low_gm_size: 128MB, high_gm_size: 512MB, fence: 4, resolution: 1920x1200, weight: 4', '1'],
      ['i915-GVTg_V5_8', 'low_gm_size: 64MB, high_gm_size: 384MB, fence: 4, resolution: 1024x768, weight: 2', '2'],
    ]);
    expect(screen.getByTestId('iommu-igpu-notes').textContent).toContain('The host needs i915.enable_gvt=1 on the kernel command line and the kvmgt module loaded');
  });

  it('an Intel iGPU with SR-IOV: the virtual functions, each in its own group', async () => {
    await openPage('intel-igpu-sriov');
    expect(screen.getByTestId('iommu-sriov-0000:00:02.0').textContent).toMatch(/\d+ of \d+ enabled: 0000:00:02\.1/);
    expect(screen.getByTestId('iommu-device-0000:00:02.1').textContent).toContain('virtual function of 0000:00:02.0');
  });
});
