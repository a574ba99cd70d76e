// Step 2: the installer image (with a preset suggested from its volume label), the virtio-win
// drivers disc for Windows, or a kernel booted directly for Linux.
import type { CallOutput } from '../../../shared/contract';
import { PathField } from '../../components/PathField';
import { useApp } from '../../store';
import { controls, Field, type StepProps } from './controls';
import { MACOS_CHOICE } from './model';

export type Identified = CallOutput<'media.identify'>;

export function MediaStep(p: StepProps & { identified: Identified | null }) {
  const { w, update, err, identified, preset } = p;
  const presets = useApp((s) => s.presets);
  const { input } = controls(p);
  const suggested = presets.find((x) => x.id === identified?.preset);
  // Every macOS release is a preset; the wizard offers them through the guided setup's tile.
  const suggestedChoice = suggested && (suggested.family === 'macos' ? MACOS_CHOICE : suggested.id);
  return (
    <>
      <PathField
        id="field-iso"
        label="Installer image (ISO)"
        value={w.iso}
        onChange={(v) => update({ iso: v })}
        error={err('iso')}
        filters={[{ name: 'Disc images', extensions: ['iso', 'img'] }]}
        placeholder="/home/you/Downloads/installer.iso"
        hint="Attached as a CD-ROM on SATA, which every installer can read. Leave empty to boot from an existing disk or the network."
      />
      {identified?.preset && (
        <div className="notice" data-testid="media-suggestion">
          <p>
            This looks like <strong>{identified.title ?? identified.preset}</strong>
            {identified.label && <> (volume label <code>{identified.label}</code>)</>}.
          </p>
          {suggestedChoice && suggestedChoice !== w.os && (
            <button type="button" className="btn btn-small" onClick={() => update({ os: suggestedChoice, firmware: null, tpm: null, shareMethod: '' })}>
              Use the {identified.title ?? identified.preset} settings
            </button>
          )}
        </div>
      )}
      {preset.traits.driverDisc && (
        <PathField
          id="field-drivers-iso"
          label="virtio-win drivers disc (optional)"
          value={w.driversIso}
          onChange={(v) => update({ driversIso: v })}
          error={err('driversIso')}
          filters={[{ name: 'Disc images', extensions: ['iso'] }]}
          hint="With it the guest gets virtio disk and network (much faster); setup loads the driver from it (Load driver → viostor). Without it: emulated SATA and e1000e, which Windows drives out of the box."
        />
      )}
      {preset.traits.kernelBoot && (
        <details className="advanced" open={Boolean(w.kernel || w.initrd || w.append || err('kernel') || err('initrd') || err('append'))}>
          <summary>Advanced: boot a kernel directly</summary>
          <p className="hint">QEMU loads the kernel itself, without a bootloader on the disk: useful for custom kernels and tiny test systems. The firmware becomes BIOS unless you choose otherwise.</p>
          <PathField id="field-kernel" label="Kernel" value={w.kernel} onChange={(v) => update({ kernel: v })} error={err('kernel')} placeholder="/boot/vmlinuz-linux" />
          <PathField id="field-initrd" label="Initial ramdisk (optional)" value={w.initrd} onChange={(v) => update({ initrd: v })} error={err('initrd')} placeholder="/boot/initramfs-linux.img" />
          <Field id="field-append" label="Kernel arguments (optional)" error={err('append')} hint="Passed as -append, e.g. console=ttyS0 root=/dev/vda2 (console=ttyS0 makes the serial console show the boot).">
            {input('append', { placeholder: 'console=ttyS0' })}
          </Field>
        </details>
      )}
    </>
  );
}
