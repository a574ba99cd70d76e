// The QEMU side of the KVM check (host/kvm-check.ts): the command line that boots its tiny
// firmware, and how QEMU reports the firmware's verdict.

/** The I/O port QEMU's isa-debug-exit listens on; the check's firmware writes its verdict there. */
export const KVM_CHECK_EXIT_PORT = 0xf4;
/** isa-debug-exit turns a write of V into exit code (V << 1) | 1; the BIOS writes 1. */
export const KVM_CHECK_EXIT_CODE = 3;

/**
 * `-cpu host` because that is what a KVM guest gets from the plan, and because it is what
 * breaks here: with QEMU's default qemu64 model this host passes the tiny test and then
 * hangs inside SeaBIOS, while `-cpu host` fails at once with "failed to set MSR 0x10a".
 */
export function kvmCheckArgs(biosPath: string, accel: 'kvm' | 'tcg' = 'kvm'): string[] {
  return [
    // TCG only serves to prove the image itself (tests): it has no `-cpu host`.
    ...(accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg']),
    '-machine', 'pc', '-m', '16',
    '-nodefaults', '-display', 'none', '-no-reboot',
    '-bios', biosPath,
    '-device', `isa-debug-exit,iobase=0x${KVM_CHECK_EXIT_PORT.toString(16)},iosize=1`,
  ];
}
