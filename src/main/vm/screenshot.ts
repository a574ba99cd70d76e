// Pictures of a running guest's screen, through QMP `screendump`: a PNG file for the CLI and
// in-memory PNG thumbnails for the library view.
//
// QEMU itself writes the dump, so the file names we hand it must be ones QEMU can open and we
// own: each is created by us first (O_EXCL, so nothing planted at that name is followed) and
// QEMU truncates and fills it, keeping our mode. Result files appear by rename, so a reader
// never sees half a PNG.

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { downscaleToFit, encodePng, parsePpm, readPngHeader, type RgbImage } from '../media';
import type { QmpClient } from '../qemu/qmp';
import { isPngUnsupported, queryQmpSchema, screendump } from '../qemu/qmp/commands';
import { schemaHasPngScreendump } from '../qemu/probe/qmp-schema';


export interface ScreenshotResult {
  /** 'png': QEMU wrote the PNG; 'ppm-converted': QEMU wrote PPM and we encoded it. */
  format: 'png' | 'ppm-converted';
  width: number;
  height: number;
}

export interface ScreenshotOptions {
  /** A directory QEMU can write to and only this user can read (the guest's runtime dir). */
  workDir: string;
}

export interface ThumbnailOptions extends ScreenshotOptions {
  maxWidth: number;
  maxHeight: number;
}

/** Saves the guest's screen as a PNG at `outFile`, replacing it if present. */
export async function screenshot(client: QmpClient, outFile: string, opts: ScreenshotOptions): Promise<ScreenshotResult> {
  if (await screendumpWritesPng(client)) {
    // 0666 less the umask, like any file the user saves; the PPM detour below is what stays private.
    const tmp = await createOwnedFile(path.dirname(outFile), `.${path.basename(outFile)}.`, '.tmp', 0o666);
    try {
      await screendump(client, tmp, 'png');
      const { width, height } = readPngHeader(await readHead(tmp, 33));
      await rename(tmp, outFile);
      return { format: 'png', width, height };
    } catch (err) {
      await rm(tmp, { force: true });
      if (!isPngUnsupported(err)) throw err;
      // A QEMU built without libpng lists the format but refuses it; do not ask again.
      pngSupport.set(client, Promise.resolve(false));
    }
  }
  const img = await dumpPpm(client, opts.workDir);
  await writeByRename(outFile, encodePng(img));
  return { format: 'ppm-converted', width: img.width, height: img.height };
}

/**
 * A PNG of the screen scaled down to fit maxWidth×maxHeight. Always dumps PPM: scaling needs
 * the pixels, and raw PPM is cheaper to read back than a PNG to decode.
 */
export async function thumbnail(client: QmpClient, opts: ThumbnailOptions): Promise<Buffer> {
  const img = await dumpPpm(client, opts.workDir);
  return encodePng(downscaleToFit(img, opts.maxWidth, opts.maxHeight));
}

const pngSupport = new WeakMap<QmpClient, Promise<boolean>>();

/**
 * Whether this QEMU's screendump takes `format: 'png'` (QEMU 7.1+). Read from the QMP schema,
 * once per client, rather than by trying the argument and parsing the refusal: the text of
 * "unknown parameter" errors has changed between QEMU versions, the schema's shape has not.
 */
export function screendumpWritesPng(client: QmpClient): Promise<boolean> {
  let known = pngSupport.get(client);
  if (!known) {
    known = queryQmpSchema(client).then(
      (schema) => schemaHasPngScreendump(schema),
      (err: unknown) => {
        // A failed connection says nothing about QEMU: forget it so a later call asks again.
        pngSupport.delete(client);
        throw err;
      },
    );
    pngSupport.set(client, known);
  }
  return known;
}

async function dumpPpm(client: QmpClient, workDir: string): Promise<RgbImage> {
  // 0600: the screen may show anything the user can see, passwords included.
  const tmp = await createOwnedFile(workDir, 'screendump-', '.ppm', 0o600);
  try {
    await screendump(client, tmp);
    return parsePpm(await readFile(tmp));
  } finally {
    await rm(tmp, { force: true });
  }
}

function tempName(dir: string, prefix: string, suffix: string): string {
  return path.join(dir, `${prefix}${process.pid}.${randomBytes(6).toString('hex')}${suffix}`);
}

async function createOwnedFile(dir: string, prefix: string, suffix: string, mode: number): Promise<string> {
  const file = tempName(dir, prefix, suffix);
  await writeFile(file, '', { flag: 'wx', mode });
  return file;
}

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

// No fsync: the rename is there so readers never see a partial file; a screenshot lost to a
// power cut is taken again.
async function writeByRename(outFile: string, data: Uint8Array): Promise<void> {
  const tmp = tempName(path.dirname(outFile), `.${path.basename(outFile)}.`, '.tmp');
  try {
    await writeFile(tmp, data, { flag: 'wx' });
    await rename(tmp, outFile);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
