// The probe's verdicts as a checklist the UI and `guestbay probe` show: what works, what is
// missing and the exact command that fixes it on this distribution.
import type { Finding, HostCaps } from '../../shared/host-caps';
import { pickFirmware } from '../../shared/firmware-pick';
import { archFindings } from './arch-findings';
import { installCommand, type Component } from './packages';

export type CapsWithoutFindings = Omit<HostCaps, 'findings'>;

function install(caps: CapsWithoutFindings, component: Component, what: string): Finding['fix'] {
  const command = installCommand(caps.distro.family, component);
  return command
    ? { text: `Install ${what}.`, command, needsRoot: true }
    : { text: `Install ${what} with your distribution's package manager.`, needsRoot: true };
}

function kvmFinding(caps: CapsWithoutFindings): Finding {
  const { kvm, cpu } = caps;
  const id = 'kvm';
  if (kvm.state === 'usable') return { id, status: 'ok', title: 'KVM works', detail: 'A test guest ran under KVM, so guests run at near-native speed.' };
  if (kvm.state === 'no-access')
    return {
      id,
      status: 'missing',
      title: 'No permission to use KVM',
      detail: `${kvm.reason}.`,
      fix: { text: 'Add yourself to the kvm group, then log out and back in.', command: 'sudo usermod -aG kvm $USER', needsRoot: true },
    };
  if (kvm.state === 'absent') {
    const hasVirt = cpu.flags.includes('svm') || cpu.flags.includes('vmx');
    const module = cpu.vendor === 'amd' ? 'kvm_amd' : cpu.vendor === 'intel' ? 'kvm_intel' : null;
    const fix: Finding['fix'] = hasVirt && module
      ? { text: `Load the ${module} module.`, command: `sudo modprobe ${module}`, needsRoot: true }
      : cpu.flags.includes('hypervisor')
        ? { text: 'Enable nested virtualisation for this VM on the host that runs it.', needsRoot: false }
        : { text: `Enable ${cpu.vendor === 'intel' ? 'Intel VT-x' : 'AMD-V (SVM)'} in the firmware (BIOS/UEFI) settings.`, needsRoot: false };
    return { id, status: 'missing', title: 'KVM is not available', detail: `${kvm.reason}.`, fix };
  }
  return {
    id,
    status: 'warning',
    title: 'KVM is present but unusable',
    detail: `${kvm.reason}.`,
    fix: {
      text: cpu.flags.includes('hypervisor')
        ? 'This system is itself a VM whose nested KVM cannot run guests; guests still run under TCG.'
        : 'Check `dmesg` for KVM errors; guests still run under TCG.',
      needsRoot: false,
    },
  };
}

function qemuFindings(caps: CapsWithoutFindings): Finding[] {
  const { qemu, qemuImg } = caps;
  return [
    qemu
      ? { id: 'qemu', status: 'ok', title: `QEMU ${qemu.version}`, detail: `${qemu.binary} runs guests with ${qemu.accels.join(', ') || 'no'} acceleration.` }
      : { id: 'qemu', status: 'missing', title: 'QEMU is not installed', detail: 'qemu-system-x86_64 was not found on PATH; no guest can start without it.', fix: install(caps, 'qemu', 'QEMU') },
    qemuImg
      ? { id: 'qemu-img', status: 'ok', title: `qemu-img ${qemuImg.version}`, detail: `${qemuImg.path} creates and converts disk images.` }
      : { id: 'qemu-img', status: 'missing', title: 'qemu-img is not installed', detail: 'Disks cannot be created or converted without qemu-img.', fix: install(caps, 'qemu-img', 'qemu-img') },
  ];
}

function firmwareFindings(caps: CapsWithoutFindings): Finding[] {
  const machine = caps.qemu?.machineAliases.q35 ?? 'pc-q35-any';
  const plain = pickFirmware(caps.firmware, { type: 'uefi', secureBoot: false, machine });
  const secure = pickFirmware(caps.firmware, { type: 'uefi', secureBoot: true, machine });
  const ovmf: Finding = plain
    ? { id: 'ovmf', status: 'ok', title: 'UEFI firmware (OVMF)', detail: `${plain.executable}, found through ${plain.descriptor}.` }
    : { id: 'ovmf', status: 'missing', title: 'No UEFI firmware', detail: "No OVMF build was found through QEMU's firmware descriptors; UEFI guests (Windows 11, macOS, most installers) cannot start.", fix: install(caps, 'ovmf', 'the OVMF UEFI firmware') };
  let sb: Finding;
  if (secure?.enrolledKeys)
    sb = { id: 'secure-boot', status: 'ok', title: 'Secure Boot firmware', detail: `${secure.executable} has Microsoft's keys enrolled, as Windows 11 expects.` };
  else if (secure)
    sb = { id: 'secure-boot', status: 'warning', title: 'Secure Boot firmware without keys', detail: `${secure.executable} supports Secure Boot but has no keys enrolled, so it stays off until keys are enrolled in the guest.` };
  else
    sb = { id: 'secure-boot', status: 'missing', title: 'No Secure Boot firmware', detail: 'Windows 11 needs a Secure Boot capable UEFI firmware.', fix: install(caps, 'ovmf', 'the OVMF UEFI firmware (it includes the Secure Boot builds)') };
  return [ovmf, sb];
}

function sidecarFindings(caps: CapsWithoutFindings): Finding[] {
  const { virtiofsd: vfs, swtpm, tools } = caps;
  let virtiofsd: Finding;
  if (!vfs)
    virtiofsd = { id: 'virtiofsd', status: 'missing', title: 'virtiofsd is not installed', detail: 'Folders cannot be shared with guests through virtiofs.', fix: install(caps, 'virtiofsd', 'virtiofsd') };
  else if (!vfs.works)
    virtiofsd = {
      id: 'virtiofsd',
      status: 'warning',
      title: 'virtiofsd cannot start here',
      detail: `${vfs.path} (${vfs.flavour === 'rust' ? 'Rust' : 'C'}) was started as a test, as you, and failed: ${vfs.reason ?? 'no reason given'}. Folders cannot be shared through virtiofs.`,
      fix:
        vfs.flavour === 'c'
          ? { text: 'The old C virtiofsd needs root. Install the Rust virtiofsd, which runs as a normal user; Linux guests can also share folders with 9p.', command: installCommand(caps.distro.family, 'virtiofsd'), needsRoot: true }
          : { text: 'Allow unprivileged user namespaces (the default on Arch and Debian), or share folders with 9p.', needsRoot: true },
    };
  else
    virtiofsd = {
      id: 'virtiofsd',
      status: 'ok',
      title: `virtiofsd${vfs.version ? ` ${vfs.version}` : ''} (${vfs.flavour === 'rust' ? 'Rust' : 'C'})`,
      detail: `${vfs.path} shares host folders with guests${vfs.source === 'descriptor' ? ', found through its vhost-user descriptor' : ''}.`,
    };
  return [
    virtiofsd,
    swtpm
      ? { id: 'swtpm', status: 'ok', title: `swtpm${swtpm.version ? ` ${swtpm.version}` : ''}`, detail: `${swtpm.path} gives guests a TPM 2.0.` }
      : { id: 'swtpm', status: 'missing', title: 'swtpm is not installed', detail: 'Guests cannot have a TPM 2.0, which Windows 11 requires.', fix: install(caps, 'swtpm', 'swtpm') },
    tools.smbd
      ? { id: 'smbd', status: 'ok', title: 'Samba (smbd)', detail: `${tools.smbd} can share a folder over QEMU's built-in SMB server.` }
      : { id: 'smbd', status: 'missing', title: 'Samba (smbd) is not installed', detail: 'Needed only to share a folder with guests that have no virtiofs driver (older Windows).', fix: install(caps, 'smbd', 'Samba') },
    tools.remoteViewer
      ? { id: 'remote-viewer', status: 'ok', title: 'remote-viewer', detail: `${tools.remoteViewer} can open a guest's SPICE display in its own window.` }
      : { id: 'remote-viewer', status: 'missing', title: 'remote-viewer is not installed', detail: "Optional: it opens a guest's SPICE display (with clipboard sharing) in its own window.", fix: install(caps, 'remote-viewer', 'virt-viewer') },
  ];
}

function iommuFinding(caps: CapsWithoutFindings): Finding {
  const { iommu, cpu } = caps;
  if (iommu.enabled) return { id: 'iommu', status: 'ok', title: 'IOMMU enabled', detail: `${iommu.groups.length} IOMMU groups: PCI devices can be passed through to guests.` };
  return {
    id: 'iommu',
    status: 'warning',
    title: 'IOMMU is off',
    detail: 'No IOMMU groups, so PCI devices (a GPU, a USB controller) cannot be passed through to guests.',
    fix: {
      text: cpu.vendor === 'intel'
        ? 'Enable VT-d in the firmware settings and add intel_iommu=on to the kernel command line.'
        : 'Enable the IOMMU (AMD-Vi) in the firmware settings; add amd_iommu=on to the kernel command line if it stays off.',
      needsRoot: true,
    },
  };
}

/** macOS reads MSRs KVM does not emulate; without ignore_msrs such a guest stops at boot. */
function ignoreMsrsFinding(caps: CapsWithoutFindings): Finding {
  const { kvm } = caps;
  const id = 'ignore-msrs';
  const title = 'KVM ignore_msrs';
  if (kvm.state !== 'usable') return { id, status: 'ok', title, detail: 'Matters only to macOS guests under KVM, which is not in use here.' };
  if (kvm.ignoreMsrs) return { id, status: 'ok', title, detail: 'kvm.ignore_msrs is on, as macOS guests need.' };
  return {
    id,
    status: 'warning',
    title,
    detail: 'kvm.ignore_msrs is off: macOS guests stop at boot on MSRs KVM does not emulate (other guests do not care).',
    fix: {
      text: 'Turn it on now (and in /etc/modprobe.d/kvm.conf with "options kvm ignore_msrs=1 report_ignored_msrs=0" to keep it).',
      command: 'echo 1 | sudo tee /sys/module/kvm/parameters/ignore_msrs',
      needsRoot: true,
    },
  };
}

export function buildFindings(caps: CapsWithoutFindings): Finding[] {
  return [
    kvmFinding(caps),
    ...qemuFindings(caps),
    ...firmwareFindings(caps),
    ...archFindings(caps),
    ...sidecarFindings(caps),
    iommuFinding(caps),
    ignoreMsrsFinding(caps),
  ];
}
