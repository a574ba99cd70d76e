// Step 5: disk controller, network card and display adapter; "Recommended" leaves the preset's.
import { controls, Field, type StepProps } from './controls';

export function DevicesStep(p: StepProps) {
  const { err, reason, preview } = p;
  const { select } = controls(p);
  const c = preview?.config;
  return (
    <>
      <p className="hint">
        <strong>virtio</strong> devices are made for virtual machines: far faster, but the guest needs drivers (Linux has them built in; Windows gets them from the virtio-win disc; macOS has few).
        <strong> Emulated</strong> devices imitate real hardware every system knows, at a cost in speed.
      </p>
      <Field id="field-disk-bus" label="Disk controller" error={err('diskBus')} hint={reason('disks.0.bus')}>
        {select('diskBus', c?.disks[0]?.bus, [
          ['virtio', 'virtio-blk (fastest, needs a driver)'],
          ['nvme', 'NVMe (fast, no extra driver on current systems)'],
          ['scsi', 'virtio-scsi (many disks, TRIM)'],
          ['sata', 'SATA / AHCI (emulated, works everywhere)'],
          ['ide', 'IDE (emulated, very old systems)'],
        ])}
      </Field>
      <Field id="field-nic" label="Network card" error={err('nic')} hint={reason('network.nic')}>
        {select('nic', c?.network.nic, [
          ['virtio-net', 'virtio-net (fastest, needs a driver)'],
          ['e1000e', 'Intel e1000e (emulated, Windows has the driver)'],
          ['e1000', 'Intel e1000 (emulated, older systems)'],
          ['vmxnet3', 'VMware vmxnet3 (macOS)'],
          ['rtl8139', 'Realtek 8139 (emulated, 100 Mbit/s)'],
        ])}
      </Field>
      <Field id="field-display" label="Display adapter" error={err('display')} hint={reason('display.device')}>
        {select('display', c?.display.device, [
          ['virtio-vga', 'virtio-vga (resizes with the window)'],
          ['std', 'Standard VGA (every system)'],
          ['qxl', 'QXL (SPICE)'],
          ['vmware-svga', 'VMware SVGA (macOS)'],
          ['ramfb', 'ramfb (simple framebuffer)'],
          ['none', 'None (serial console only)'],
        ])}
      </Field>
    </>
  );
}
