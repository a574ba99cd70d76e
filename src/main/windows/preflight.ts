// Before a first Windows guest: KVM (without it only when allowed), swtpm for the TPM 2.0,
// OVMF with Secure Boot and Microsoft's keys enrolled, room on the host for a sparse disk that
// Windows 11 Setup requires to be at least 64 GiB, and the tools the answer disk and the ISO's
// editions are read with. Pure: facts in, findings out.
import type { Finding, HostCaps } from '../../shared/host-caps';
import { minSystemDiskBytes, systemDiskProblem } from '../../shared/limits';

export interface WindowsFacts {
  caps: HostCaps;
  version: '10' | '11';
  diskGiB: number;
  freeDiskBytes: number;
  hasMtools: boolean;
  hasXorriso: boolean;
  /** The user asked Setup to skip Windows 11's TPM/Secure Boot checks (a host without swtpm). */
  bypassRequirements: boolean;
}

const GiB = 2 ** 30;

export function windowsPreflight(f: WindowsFacts): Finding[] {
  const out: Finding[] = [];
  const w11 = f.version === '11';
  // The OS table's minimum, the one `create` enforces too (Setup's own check; no bypass for it).
  const os = { family: 'windows', version: f.version } as const;
  const minGiB = minSystemDiskBytes(os) / GiB;
  const small = systemDiskProblem(f.diskGiB * GiB, os);
  out.push(
    f.caps.accel === 'kvm'
      ? { id: 'windows-kvm', status: 'ok', title: 'KVM works', detail: 'Windows runs at close to native speed, with Hyper-V enlightenments.' }
      : {
          id: 'windows-kvm',
          status: 'warning',
          title: 'No KVM: Windows will be extremely slow',
          detail: `${f.caps.kvm.reason}. Under software emulation Setup takes many hours; continue only to try things out.`,
          fix: { text: 'Run Guestbay on a host where KVM works (enable AMD-V/VT-x in the firmware settings).', needsRoot: false },
        },
  );
  out.push(
    f.caps.swtpm
      ? { id: 'windows-swtpm', status: 'ok', title: 'swtpm gives the guest a TPM 2.0', detail: `${f.caps.swtpm.path}${f.caps.swtpm.version ? ` ${f.caps.swtpm.version}` : ''}` }
      : {
          id: 'windows-swtpm',
          status: w11 && !f.bypassRequirements ? 'missing' : 'warning',
          title: 'No swtpm: no TPM for the guest',
          detail: w11
            ? f.bypassRequirements
              ? 'Setup is told to skip its TPM check (you asked for it): Windows 11 installs, without BitLocker\'s TPM protection.'
              : 'Windows 11 Setup refuses a PC without TPM 2.0.'
            : 'Windows 10 installs without one.',
          fix: { text: 'Install swtpm, or ask Setup to skip the check (--bypass-requirements).', command: 'sudo apt install swtpm swtpm-tools', needsRoot: true },
        },
  );
  // x86_64's own: a host with the AArch64 firmware installed too (issue 21) lists AAVMF's as well.
  const sb = f.caps.firmware.find((x) => x.type === 'uefi' && x.architecture === 'x86_64' && x.secureBoot && x.enrolledKeys);
  out.push(
    sb
      ? { id: 'windows-secure-boot', status: 'ok', title: 'OVMF with Secure Boot keys', detail: sb.executable }
      : {
          id: 'windows-secure-boot',
          status: w11 && !f.bypassRequirements ? 'missing' : 'warning',
          title: 'No OVMF with Secure Boot keys enrolled',
          detail: w11 ? 'Windows 11 Setup requires Secure Boot.' : 'Windows 10 boots without Secure Boot.',
          fix: { text: 'Install OVMF with the Microsoft keys (Debian: ovmf; Fedora: edk2-ovmf; Arch: edk2-ovmf).', command: 'sudo apt install ovmf', needsRoot: true },
        },
  );
  out.push(
    small === null
      ? { id: 'windows-disk-size', status: 'ok', title: `System disk: ${f.diskGiB} GiB`, detail: 'Sparse: it takes on the host only what Windows writes (about 25 GiB after Setup).' }
      : { id: 'windows-disk-size', status: 'missing', title: `System disk: ${f.diskGiB} GiB is too small`, detail: small, fix: { text: `Choose --disk-size ${minGiB}G or more.`, needsRoot: false } },
  );
  out.push(
    f.freeDiskBytes >= 64 * GiB
      ? { id: 'windows-free-space', status: 'ok', title: 'Room on the host', detail: `${Math.floor(f.freeDiskBytes / GiB)} GiB free where the guest will live.` }
      : {
          id: 'windows-free-space',
          status: 'warning',
          title: 'Little room on the host',
          detail: `${Math.floor(f.freeDiskBytes / GiB)} GiB free: the sparse disk grows as Windows writes, and the install alone takes about 25 GiB; 64 GiB free is comfortable.`,
        },
  );
  if (!f.hasMtools) out.push({ id: 'windows-mtools', status: 'missing', title: 'mtools is missing', detail: 'Guestbay writes the answer disk with it, without root.', fix: { text: 'Install mtools.', command: 'sudo apt install mtools', needsRoot: true } });
  if (!f.hasXorriso) out.push({ id: 'windows-xorriso', status: 'warning', title: 'xorriso is missing', detail: 'Guestbay reads the ISO\'s editions with it; without it name the edition yourself.', fix: { text: 'Install xorriso.', command: 'sudo apt install xorriso', needsRoot: true } });
  return out;
}
