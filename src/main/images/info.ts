// What an image is: format, sizes, backing chain, internal snapshots, consistency.
import { basename } from 'node:path';
import { checkArgs, infoArgs, readCheck, readInfo, type CheckResult, type ImageInfo } from '../qemu/qemu-img';
import { ImageError, runQemuImg } from './run';

export type { CheckResult, ImageInfo, SnapshotInfo } from '../qemu/qemu-img';

/**
 * One image's facts. `format`: read it as this format (no probing); without it qemu-img probes,
 * which is right only for files a person hands in to be imported.
 */
export async function imageInfo(path: string, o: { format?: string; qemuImg?: string } = {}): Promise<ImageInfo> {
  const { stdout } = await runQemuImg(infoArgs(path, { format: o.format }), { qemuImg: o.qemuImg, what: `reading ${basename(path)}` });
  return readInfo(stdout)[0]!;
}

/** The image and every backing file under it, the image first. */
export async function imageChain(path: string, o: { format?: string; qemuImg?: string } = {}): Promise<ImageInfo[]> {
  const { stdout } = await runQemuImg(infoArgs(path, { chain: true, format: o.format }), { qemuImg: o.qemuImg, what: `reading the backing chain of ${basename(path)}` });
  return readInfo(stdout);
}

/** Checks (and with `repair`, fixes) an image's metadata; the image must not be in use. */
export async function checkImage(path: string, format: string, o: { repair?: 'leaks' | 'all'; qemuImg?: string } = {}): Promise<CheckResult> {
  // 1: the check itself could not run; 2: corruptions; 3: leaks; 63: format cannot be checked.
  const r = await runQemuImg(checkArgs(path, format, o.repair), { qemuImg: o.qemuImg, what: `${o.repair ? 'repairing' : 'checking'} ${basename(path)}`, okExitCodes: [2, 3, 63] });
  const result = readCheck(r.stdout, r.exitCode);
  if (result.checkErrors && !r.stdout.trim()) throw new ImageError(`checking ${basename(path)} could not run`);
  return result;
}
