// QEMU's own words when a start fails on a passthrough device, and what they mean for the user:
// QEMU names the file it could not open; Guestbay says which setting that is and what to do.
// Matched on QEMU 7.2's and 10's messages (test/main/passthrough/devices.qemu.test.ts).

interface Rule {
  re: RegExp;
  say: (m: RegExpExecArray) => string;
}

const RULES: Rule[] = [
  {
    re: /Could not open '(\/dev\/input\/[^']+)': No such file or directory/,
    say: (m) => `The keyboard or mouse ${m[1]} is not there: it is unplugged, or its name under /dev/input/by-id changed. Choose it again in the guest's input settings (evdev), or turn evdev input off.`,
  },
  {
    re: /Could not open '(\/dev\/input\/[^']+)': Permission denied/,
    say: (m) => `Your user may not read ${m[1]}: add yourself to the input group (sudo usermod -aG input "$USER"), then log out and in again.`,
  },
  {
    re: /(\/\S+): is not an evdev device/,
    say: (m) => `${m[1]} is not an input device: choose one under /dev/input/by-id whose name ends in -event-kbd or -event-mouse.`,
  },
  {
    re: /(\/dev\/kvmfr\d+)[^\n]*(No such file or directory|Permission denied)/,
    say: (m) =>
      m[2] === 'Permission denied'
        ? `Your user may not open ${m[1]} (Looking Glass's KVMFR module): a udev rule must give it to you (SUBSYSTEM=="kvmfr", OWNER="${'$USER'}", MODE="0660").`
        : `${m[1]} is missing: load Looking Glass's KVMFR module (sudo modprobe kvmfr static_size_mb=…), or choose the /dev/shm file in the guest's display settings.`,
  },
  {
    re: /vfio (\S+): (?:no such host device|error getting device from group)/,
    say: (m) => `The PCI device ${m[1]} is not there or not bound to vfio-pci: open the IOMMU page (or run guestbay iommu) and bind it to vfio-pci.`,
  },
  {
    re: /failed to open (\/dev\/vfio\/\d+): Permission denied/,
    say: (m) => `Your user may not open ${m[1]}: give the kvm group access with a udev rule (SUBSYSTEM=="vfio", GROUP="kvm", MODE="0660") and be in the kvm group.`,
  },
];

/** A plain-words reading of QEMU's start failure, or null when it is not one of these. */
export function explainStartFailure(qemuOutput: string): string | null {
  for (const r of RULES) {
    const m = r.re.exec(qemuOutput);
    if (m) return r.say(m);
  }
  return null;
}
