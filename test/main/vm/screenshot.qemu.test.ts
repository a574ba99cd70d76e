// Screenshots of a real QEMU under TCG: the tiny guest writing its GB: lines on the VGA text
// console, and a guest with no display device at all.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { parsePpm } from '../../../src/main/media/ppm';
import type { RgbImage } from '../../../src/main/media/rgb';
import type { QmpClient } from '../../../src/main/qemu/qmp';
import { NoScreenError } from '../../../src/main/qemu/qmp/commands';
import { screendumpWritesPng, screenshot, thumbnail } from '../../../src/main/vm/screenshot';
import { ensureTestGuest, type TestGuest } from '../../guest/guest';
import { decodePng } from '../media/png-check';
import { startQemu, type QemuRun } from '../qemu/qmp/qemu-process';

const KNOWN_MODES = ['720x400', '640x480', '800x600', '1024x768', '1280x800'];

let guest: TestGuest;
const runs: QemuRun[] = [];

beforeAll(async () => {
  guest = await ensureTestGuest();
});

afterEach(async () => {
  await Promise.all(runs.splice(0).map((r) => r.dispose()));
});

async function start(args: string[]): Promise<{ run: QemuRun; client: QmpClient }> {
  const run = await startQemu(args);
  runs.push(run);
  return { run, client: await run.connect() };
}

/** What QEMU itself reports: a plain PPM screendump, read back. */
async function rawDump(client: QmpClient, dir: string): Promise<RgbImage> {
  const file = path.join(dir, 'raw.ppm');
  await client.execute('screendump', { filename: file });
  return parsePpm(await readFile(file));
}

/** Bands of 16 pixel rows (a VGA text line) holding anything but black. */
function litLines(img: RgbImage): number {
  let lit = 0;
  for (let band = 0; band * 16 < img.height; band++) {
    const from = band * 16 * img.width * 3;
    const to = Math.min(img.height, (band + 1) * 16) * img.width * 3;
    if (img.data.subarray(from, to).some((v) => v !== 0)) lit++;
  }
  return lit;
}

it('captures the guest screen as PNG, converted PPM and thumbnail, all the same picture', async () => {
  const { run, client } = await start([
    '-m', '256', '-no-reboot', '-device', 'VGA',
    '-kernel', guest.kernel, '-initrd', guest.initrd,
    '-append', 'console=ttyS0 console=tty0 quiet panic=-1',
  ]);
  const v = client.qemuVersion;

  // The guest's lines go to tty0, not serial: wait until they are on screen (SeaBIOS alone
  // shows two lines and a cursor), then freeze the guest so every capture sees one frame.
  let seen = 0;
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; ) {
    seen = litLines(await rawDump(client, run.dir));
    if (seen >= 5) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(seen, 'guest output on the screen').toBeGreaterThanOrEqual(5);
  await client.execute('stop');
  const raw = await rawDump(client, run.dir);
  expect(KNOWN_MODES).toContain(`${raw.width}x${raw.height}`);

  const writesPng = await screendumpWritesPng(client);
  const out = path.join(run.dir, 'shot.png');
  const shot = await screenshot(client, out, { workDir: run.dir });
  console.log(`QEMU ${v.major}.${v.minor}.${v.micro}: screendump format=png ${writesPng ? 'supported' : 'not supported'}; screenshot ${JSON.stringify(shot)}`);
  expect(shot).toEqual({ format: writesPng ? 'png' : 'ppm-converted', width: raw.width, height: raw.height });
  const png = decodePng(await readFile(out));
  expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([raw.width, raw.height, 8, 2]);
  expect(png.rgb.equals(raw.data)).toBe(true);

  // The pre-7.1 path, against this QEMU's real PPM: a client whose schema lacks the argument.
  const oldQemu = {
    execute: (command: string, args?: object) =>
      command === 'query-qmp-schema' ? Promise.resolve([]) : client.execute(command, args),
  } as unknown as QmpClient;
  const converted = path.join(run.dir, 'converted.png');
  expect(await screenshot(oldQemu, converted, { workDir: run.dir })).toEqual({
    format: 'ppm-converted', width: raw.width, height: raw.height,
  });
  expect(decodePng(await readFile(converted)).rgb.equals(raw.data)).toBe(true);

  const thumb = decodePng(await thumbnail(client, { workDir: run.dir, maxWidth: 256, maxHeight: 256 }));
  expect(thumb.width).toBeLessThanOrEqual(256);
  expect(thumb.height).toBeLessThanOrEqual(256);
  expect(Math.max(thumb.width, thumb.height)).toBe(256);
  expect(Math.abs(thumb.width / thumb.height - raw.width / raw.height)).toBeLessThan(0.02);
  expect(thumb.rgb.some((v) => v !== 0)).toBe(true);

  expect((await readdir(run.dir)).sort()).toEqual(['converted.png', 'qmp.sock', 'raw.ppm', 'shot.png']);
});

it('says so when the guest has no display device', async () => {
  const { run, client } = await start([]);
  await expect(screenshot(client, path.join(run.dir, 'shot.png'), { workDir: run.dir })).rejects.toThrow(NoScreenError);
  await expect(thumbnail(client, { workDir: run.dir, maxWidth: 64, maxHeight: 64 })).rejects.toThrow(
    'this guest has no screen to capture',
  );
  expect(await readdir(run.dir)).toEqual(['qmp.sock']);
});
