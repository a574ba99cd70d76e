// Step 3: BIOS, UEFI or UEFI with Secure Boot, and the TPM.
import { choicesOf, FIRMWARE_LABELS, FIRMWARE_MEANINGS } from '../../../shared/vm-choices';
import { FieldError } from '../../components/PathField';
import type { StepProps } from './controls';
import { defaultFirmware, effectiveFirmware, effectiveTpm, requirements } from './model';

export function FirmwareStep({ w, update, err, reason, preset }: StepProps) {
  const fw = effectiveFirmware(w, preset);
  const required = requirements(preset);
  return (
    <>
      <fieldset className="choices">
        <legend>Firmware</legend>
        {choicesOf(FIRMWARE_LABELS).map(([id, title]) => (
          <label key={id} className={`choice${fw === id ? ' selected' : ''}`} data-testid={`wizard-firmware-${id}`}>
            <input type="radio" name="firmware" value={id} checked={fw === id} onChange={() => update({ firmware: id })} />
            <span>
              <strong>
                {title}
                {defaultFirmware(w, preset) === id && <span className="tag">recommended</span>}
              </strong>
              <span className="hint">{FIRMWARE_MEANINGS[id]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" data-testid="field-tpm" checked={effectiveTpm(w, preset)} onChange={(e) => update({ tpm: e.target.checked })} />
        <span>
          <strong>TPM 2.0</strong>
          <span className="hint">An emulated security chip (swtpm); its state is kept with the guest. Windows 11 requires it; BitLocker and measured boot use it.</span>
        </span>
      </label>
      {required && (
        <p className="notice">
          {preset.title} needs {required}: its installer refuses to continue without them.
        </p>
      )}
      {reason('firmware') && <p className="hint">Why the recommendation: {reason('firmware')}</p>}
      <FieldError id="field-firmware" message={err('firmware') ?? err('tpm')} />
    </>
  );
}
