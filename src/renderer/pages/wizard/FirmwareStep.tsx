// Step 3: BIOS, UEFI or UEFI with Secure Boot, and the TPM.
import { FieldError } from '../../components/PathField';
import { FIRMWARE } from './choices';
import type { StepProps } from './controls';
import { defaultFirmware, effectiveFirmware, effectiveTpm } from './model';

export function FirmwareStep({ w, update, err, reason }: StepProps) {
  const fw = effectiveFirmware(w);
  return (
    <>
      <fieldset className="choices">
        <legend>Firmware</legend>
        {FIRMWARE.map((f) => (
          <label key={f.id} className={`choice${fw === f.id ? ' selected' : ''}`} data-testid={`wizard-firmware-${f.id}`}>
            <input type="radio" name="firmware" value={f.id} checked={fw === f.id} onChange={() => update({ firmware: f.id })} />
            <span>
              <strong>
                {f.title}
                {defaultFirmware(w) === f.id && <span className="tag">recommended</span>}
              </strong>
              <span className="hint">{f.meaning}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" data-testid="field-tpm" checked={effectiveTpm(w)} onChange={(e) => update({ tpm: e.target.checked })} />
        <span>
          <strong>TPM 2.0</strong>
          <span className="hint">An emulated security chip (swtpm); its state is kept with the guest. Windows 11 requires it; BitLocker and measured boot use it.</span>
        </span>
      </label>
      {w.os === 'windows-11' && <p className="notice">Windows 11 needs UEFI + Secure Boot and a TPM 2.0: its installer refuses to continue without them.</p>}
      {reason('firmware') && <p className="hint">Why the recommendation: {reason('firmware')}</p>}
      <FieldError id="field-firmware" message={err('firmware') ?? err('tpm')} />
    </>
  );
}
