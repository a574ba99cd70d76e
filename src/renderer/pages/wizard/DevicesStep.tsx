// Step 5: disk controller, network card and display adapter; "Recommended" leaves the preset's.
import { choicesOf, DISK_BUS_LABELS, DISPLAY_DEVICE_LABELS, NIC_LABELS } from '../../../shared/vm-choices';
import { controls, Field, type StepProps } from './controls';
import { presetDefaults } from './model';

export function DevicesStep(p: StepProps) {
  const { w, err, reason, preset } = p;
  const { select } = controls(p);
  const d = presetDefaults(w, preset);
  return (
    <>
      <p className="hint">
        <strong>virtio</strong> devices are made for virtual machines: far faster, but the guest needs drivers (Linux has them built in; Windows gets them from the virtio-win disc; macOS has few).
        <strong> Emulated</strong> devices imitate real hardware every system knows, at a cost in speed.
      </p>
      <Field id="field-disk-bus" label="Disk controller" error={err('diskBus')} hint={reason('disks.0.bus')}>
        {select('diskBus', d.diskBus, choicesOf(DISK_BUS_LABELS))}
      </Field>
      <Field id="field-nic" label="Network card" error={err('nic')} hint={reason('network.nic')}>
        {select('nic', d.nic, choicesOf(NIC_LABELS))}
      </Field>
      <Field id="field-display" label="Display adapter" error={err('display')} hint={reason('display.device')}>
        {/* "Recommended" is the preset's own choice, so `auto` is not offered again. */}
        {select('display', d.display, choicesOf(DISPLAY_DEVICE_LABELS).filter(([d]) => d !== 'auto'))}
      </Field>
    </>
  );
}
