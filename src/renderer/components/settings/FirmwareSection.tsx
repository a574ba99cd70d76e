// BIOS or UEFI, Secure Boot and the TPM. Switching between BIOS and UEFI after the system is
// installed leaves it unbootable (its boot loader was installed for the other one): said before
// saving, and again from the server's warning after.
import type { Firmware } from '../../../shared/vm-config';
import { useApp } from '../../store';
import { Choices, SectionFrame } from './SectionFrame';
import { FIRMWARE_CHOICES } from './labels';
import { useSection } from './use-section';

type Draft = { kind: 'bios' | 'uefi'; secureBoot: boolean; tpm: boolean };

const toFirmware = (d: Draft): Firmware => (d.kind === 'bios' ? 'bios' : d.secureBoot ? 'uefi-secure' : 'uefi');

export function FirmwareSection() {
  const host = useApp((s) => s.host);
  const s = useSection<Draft>({
    from: (c) => ({ kind: c.firmware === 'bios' ? 'bios' : 'uefi', secureBoot: c.firmware === 'uefi-secure', tpm: c.tpm.enabled }),
    into: (c, d) => ({ ...c, firmware: toFirmware(d), tpm: { ...c.tpm, enabled: d.tpm } }),
    check: (d, c) => (d.kind === 'uefi' && d.secureBoot && c.machine !== 'q35' ? { secureBoot: 'Secure Boot needs the q35 machine: change the machine under Name and start, Advanced.' } : {}),
    fieldOf: (f) => (f === 'firmware' ? 'kind' : f.startsWith('tpm') ? 'tpm' : undefined),
  });
  const d = s.draft;
  const was = s.base.config.firmware === 'bios' ? 'bios' : 'uefi';
  const noTpm = host && !host.swtpm ? 'swtpm is not installed on this computer (see Host for the command that installs it).' : undefined;
  const noSecure = host && !host.firmware.some((f) => f.secureBoot) ? 'No Secure Boot firmware was found on this computer (see Host).' : undefined;
  return (
    <SectionFrame id="firmware" title="Firmware" applies="next-start" s={s} why="What starts first when the guest powers on.">
      <Choices
        name="firmware"
        legend="Firmware"
        testId="settings-firmware"
        value={d.kind}
        onChange={(kind) => s.set({ kind })}
        options={[
          { value: 'bios', label: FIRMWARE_CHOICES.bios.label, why: FIRMWARE_CHOICES.bios.why },
          { value: 'uefi', label: FIRMWARE_CHOICES.uefi.label, why: FIRMWARE_CHOICES.uefi.why },
        ]}
      />
      {d.kind !== was && (
        <p className="notice notice-warning" role="alert" data-testid="settings-firmware-warning">
          Switching from {was === 'bios' ? 'BIOS to UEFI' : 'UEFI to BIOS'} makes an installed system unbootable: its boot loader was installed for {was === 'bios' ? 'BIOS' : 'UEFI'}. Switch only before installing, or back again if it does not start.
        </p>
      )}
      <label className={`check${d.kind === 'bios' ? ' choice-off' : ''}`}>
        <input type="checkbox" data-testid="settings-secure-boot" checked={d.kind === 'uefi' && d.secureBoot} disabled={d.kind === 'bios' || (Boolean(noSecure) && !d.secureBoot)} onChange={(e) => s.set({ secureBoot: e.target.checked })} />
        <span>
          <strong>Secure Boot</strong>
          <span className="hint">{d.kind === 'bios' ? 'UEFI only.' : (noSecure ?? FIRMWARE_CHOICES['uefi-secure'].why)}</span>
          {s.errors.secureBoot && <span className="field-error" data-testid="settings-secure-boot-error">{s.errors.secureBoot}</span>}
        </span>
      </label>
      <label className="check">
        <input type="checkbox" data-testid="settings-tpm" checked={d.tpm} disabled={Boolean(noTpm) && !d.tpm} onChange={(e) => s.set({ tpm: e.target.checked })} />
        <span>
          <strong>TPM 2.0</strong>
          <span className="hint">{noTpm ?? 'An emulated TPM (swtpm): Windows 11 requires one; BitLocker and measured boot use it.'}</span>
          {s.errors.tpm && <span className="field-error" data-testid="settings-tpm-error">{s.errors.tpm}</span>}
        </span>
      </label>
      {s.errors.kind && <p className="field-error" data-testid="settings-firmware-error">{s.errors.kind}</p>}
    </SectionFrame>
  );
}
