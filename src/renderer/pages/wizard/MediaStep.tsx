// Step 2: the installer image (with a preset suggested from its volume label), the virtio-win
// drivers disc for Windows, or a kernel booted directly for Linux.
import type { CallOutput } from '../../../shared/contract';
import { PathField } from '../../components/PathField';
import { OS_CHOICES } from './choices';
import { controls, Field, type StepProps } from './controls';
import type { OsChoice } from './model';

export type Identified = CallOutput<'media.identify'>;

export function MediaStep(p: StepProps & { identified: Identified | null }) {
  const { w, update, err, identified } = p;
  const { input } = controls(p);
  const isWin = w.os.startsWith('windows');
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
          {identified.preset !== w.os && (OS_CHOICES.some((o) => o.id === identified.preset) || identified.preset.startsWith('macos-')) && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => update({ os: identified.preset!.startsWith('macos-') ? 'macos' : (identified.preset as OsChoice), firmware: null, tpm: null, shareMethod: '' })}
            >
              Use the {identified.title ?? identified.preset} settings
            </button>
          )}
        </div>
      )}
      {isWin && (
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
      {w.os === 'linux' && (
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
