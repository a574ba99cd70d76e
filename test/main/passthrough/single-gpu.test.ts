// The single-GPU dry run on a fixture host: every step in order, each with the helper's own lines.
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELPER_CANDIDATES } from '../../../src/main/passthrough/helper';
import { iommuReport } from '../../../src/main/passthrough/iommu-report';
import { singleGpuDryRun, singleGpuSteps, SingleGpuError } from '../../../src/main/passthrough/single-gpu';
import { pciHost } from './fixtures';

const HELPER = HELPER_CANDIDATES[1]!;

describe('single-GPU passthrough dry run', () => {
  it('prints every step in order: display manager, consoles, framebuffer, vfio-pci; and back when the guest ends', async () => {
    const h = await pciHost('desktop-gpu-with-nic', { files: { '/sys/class/vtconsole/vtcon0/bind': '1\n', '/sys/class/vtconsole/vtcon1/bind': '1\n' } });
    // The firmware framebuffer as sysfs shows it: the device bound to its platform driver.
    await mkdir(join(h.root, 'sys/bus/platform/drivers/efi-framebuffer/efi-framebuffer.0'), { recursive: true });
    await mkdir(join(h.root, 'sys/bus/platform/devices/efi-framebuffer.0'), { recursive: true });
    const report = await iommuReport(h.options);
    const lines = await singleGpuDryRun(HELPER, singleGpuSteps(report, '0000:0c:00.0'), h.root);
    expect(lines).toEqual([
      'Before the guest starts:',
      '1. Stop the display manager (the graphical session ends; save your work first)',
      '     run systemctl stop display-manager.service',
      '2. Detach the text consoles from the framebuffer',
      "     write '0' > /sys/class/vtconsole/vtcon0/bind",
      "     write '0' > /sys/class/vtconsole/vtcon1/bind",
      '3. Release the firmware framebuffer (efifb, simpledrm) that holds the GPU',
      "     write 'efi-framebuffer.0' > /sys/bus/platform/drivers/efi-framebuffer/unbind",
      '4. Load the vfio-pci driver (if it is not loaded yet)',
      '     run modprobe vfio-pci',
      '5. Hand 0000:0c:00.0, 0000:0c:00.1 to vfio-pci',
      "     write 'vfio-pci' > /sys/bus/pci/devices/0000:0c:00.0/driver_override",
      "     write '0000:0c:00.0' > /sys/bus/pci/devices/0000:0c:00.0/driver/unbind",
      "     write '0000:0c:00.0' > /sys/bus/pci/drivers_probe",
      "     write 'vfio-pci' > /sys/bus/pci/devices/0000:0c:00.1/driver_override",
      "     write '0000:0c:00.1' > /sys/bus/pci/devices/0000:0c:00.1/driver/unbind",
      "     write '0000:0c:00.1' > /sys/bus/pci/drivers_probe",
      'The guest runs with the GPU. When it ends:',
      '6. Give 0000:0c:00.0 back to nouveau',
      "     write '' > /sys/bus/pci/devices/0000:0c:00.0/driver_override",
      "     write '0000:0c:00.0' > /sys/bus/pci/devices/0000:0c:00.0/driver/unbind",
      "     write '0000:0c:00.0' > /sys/bus/pci/drivers/nouveau/bind",
      '7. Give 0000:0c:00.1 back to snd_hda_intel',
      "     write '' > /sys/bus/pci/devices/0000:0c:00.1/driver_override",
      "     write '0000:0c:00.1' > /sys/bus/pci/devices/0000:0c:00.1/driver/unbind",
      "     write '0000:0c:00.1' > /sys/bus/pci/drivers/snd_hda_intel/bind",
      '8. Give the firmware framebuffer back',
      "     write 'efi-framebuffer.0' > /sys/bus/platform/drivers/efi-framebuffer/bind",
      '9. Attach the text consoles again',
      "     write '1' > /sys/class/vtconsole/vtcon0/bind",
      "     write '1' > /sys/class/vtconsole/vtcon1/bind",
      '10. Start the display manager again',
      '     run systemctl start display-manager.service',
    ]);
  });

  it('refuses what is not a GPU, or a GPU whose group the host needs', async () => {
    const report = await iommuReport((await pciHost('amd-usb-chipset')).options);
    expect(() => singleGpuSteps(report, '0000:02:00.0')).toThrow(SingleGpuError);
    expect(() => singleGpuSteps(report, '0000:02:00.0')).toThrow('0000:02:00.0 is not a GPU on this computer.');
  });

  it('the recovery note exists: getting the host back over SSH', async () => {
    const text = await readFile(fileURLToPath(new URL('../../../docs/single-gpu.md', import.meta.url)), 'utf8');
    expect(text).toContain('ssh you@this-computer');
    expect(text).toContain('sudo $H release 0000:0c:00.0 --to nouveau');
    expect(text).toContain('sudo $H display-manager start');
  });
});
