// The only trustworthy answer to "can KVM run a guest here?" is running one. /dev/kvm can
// exist, open, and still fail: a nested KVM (e.g. kvm-pvm) that cannot set the MSRs a real
// CPU model needs, or one that only *emulates* a guest that is not made for it, instruction
// by instruction, slower than QEMU's own TCG (seen: SeaBIOS boots, a Linux kernel then takes
// minutes to decompress and dies with "INTERNAL_ERROR in batch emul"). We boot a 64 KiB
// firmware that counts down a loop and then writes to isa-debug-exit: real KVM runs it in a
// few milliseconds, TCG in ~0.15 s, an emulating KVM in ~12 s, far past the deadline.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KVM_CHECK_EXIT_CODE, KVM_CHECK_EXIT_PORT, kvmCheckArgs } from '../qemu/probe/kvm-check';
import type { RunResult, Runner } from './run';
export const KVM_CHECK_TIMEOUT_MS = 1500;
/** Iterations of the firmware's loop: ~10 ms on real KVM, ~0.15 s under TCG, ~12 s emulated by kvm-pvm. */
export const KVM_CHECK_LOOPS = 20_000_000;

export interface KvmCheck {
  ran: boolean;
  /** Why it did not run (QEMU's own words where it gave any). */
  reason: string;
  ms: number;
}

/**
 * A BIOS image. The reset vector (0xFFF0, where a real-mode CPU starts) jumps to offset 0,
 * which does `mov ecx, LOOPS; l: dec ecx; jnz l; mov al,1; out 0xf4,al; hlt; jmp $-1`: the
 * guest ends QEMU once it has run the loop, and only a KVM that runs guest code natively
 * does that within the deadline.
 */
export function kvmCheckBios(loops = KVM_CHECK_LOOPS): Buffer {
  const image = Buffer.alloc(64 * 1024, 0xff);
  const count = Buffer.alloc(4);
  count.writeUInt32LE(loops);
  Buffer.concat([
    Buffer.from([0x66, 0xb9]), count, // mov ecx, loops (operand-size prefix in 16-bit code)
    Buffer.from([0x66, 0x49, 0x75, 0xfc]), // dec ecx; jnz -4
    Buffer.from([0xb0, 0x01, 0xe6, KVM_CHECK_EXIT_PORT, 0xf4, 0xeb, 0xfd]), // mov al,1; out 0xf4,al; hlt; jmp $-1
  ]).copy(image, 0);
  // jmp near 0x0000 from 0xFFF0: rel16 = 0x0000 - (0xFFF0 + 3), modulo 64 KiB.
  Buffer.from([0xe9, 0x0d, 0x00]).copy(image, 0xfff0);
  return image;
}

/** QEMU's first error line, without its program-name prefix and without warnings. */
export function kvmFailureReason(r: RunResult): string {
  if (r.spawnError) return `QEMU could not be started (${r.spawnError})`;
  const lines = r.stderr
    .split('\n')
    .map((l) => l.replace(/^[^:\s]*qemu[^:\s]*:\s*/, '').replace(/^error:\s*/, '').trim())
    .filter((l) => l && !/^warning:/i.test(l) && !/^terminating on signal/.test(l));
  const internal = lines.find((l) => /KVM internal error/i.test(l));
  const first = internal ?? lines[0];
  if (first) return first;
  if (r.timedOut) {
    return `a test guest did not finish within ${KVM_CHECK_TIMEOUT_MS / 1000} s: this KVM emulates guest code instead of running it (a loop that real KVM runs in milliseconds), slower than software emulation`;
  }
  if (r.signal) return `QEMU was killed by ${r.signal}`;
  return `a test guest ended with exit code ${r.exitCode ?? '?'} instead of ${KVM_CHECK_EXIT_CODE}`;
}

export async function runKvmCheck(run: Runner, qemuBinary: string): Promise<KvmCheck> {
  const started = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'guestbay-kvm-'));
  try {
    const bios = join(dir, 'exit.bin');
    await writeFile(bios, kvmCheckBios());
    const r = await run(qemuBinary, kvmCheckArgs(bios), { timeoutMs: KVM_CHECK_TIMEOUT_MS });
    const ran = r.exitCode === KVM_CHECK_EXIT_CODE && !r.timedOut;
    return { ran, reason: ran ? '' : kvmFailureReason(r), ms: Math.round(performance.now() - started) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
