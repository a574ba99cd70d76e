// The per-guest UEFI variable store, made from the firmware's template as qcow2 (so snapshots
// include it), and run by the launch plan's `vars` prepare step.
import { convertToQcow2Args } from '../qemu/qemu-img';
import { runQemuImg } from './run';

export async function convertToQcow2(from: string, fromFormat: 'raw' | 'qcow2', to: string, qemuImg = 'qemu-img'): Promise<void> {
  await runQemuImg(convertToQcow2Args(from, fromFormat, to), { qemuImg, what: 'making the UEFI variable store', timeoutMs: 30_000 });
}
