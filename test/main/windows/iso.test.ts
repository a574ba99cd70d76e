// Edition recognition on ISOs this test builds with Debian's tools (xorriso, wimtools): the
// volume label and the install image's XML metadata, read without root or extraction.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickEdition, readVolumeLabel, recognizeWindowsIso } from '../../../src/main/windows/iso/recognize';
import { buildWindowsIso } from '../../helpers/windows-iso';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-iso-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('recognising a Windows ISO', () => {
  it('Windows 11: label and every edition from install.wim\'s XML, even behind other data', async () => {
    const iso = join(dir, 'w11.iso');
    await buildWindowsIso(iso, {
      label: 'CCCOMA_X64FRE_EN-US_DV9',
      padMiB: 3,
      editions: [
        { name: 'Windows 11 Home', editionId: 'Core', build: 26100 },
        { name: 'Windows 11 Pro', editionId: 'Professional', build: 26100 },
        { name: 'Windows 11 Education', editionId: 'Education', build: 26100 },
      ],
    });
    const info = await recognizeWindowsIso(iso);
    expect(info).toMatchObject({ label: 'CCCOMA_X64FRE_EN-US_DV9', version: '11', source: 'install.wim' });
    expect(info.images.map((i) => [i.index, i.name, i.editionId, i.build, i.arch])).toEqual([
      [1, 'Windows 11 Home', 'Core', 26100, 9],
      [2, 'Windows 11 Pro', 'Professional', 26100, 9],
      [3, 'Windows 11 Education', 'Education', 26100, 9],
    ]);
    expect(pickEdition(info)).toMatchObject({ name: 'Windows 11 Pro' });
    expect(pickEdition(info, 'core')).toMatchObject({ name: 'Windows 11 Home' });
    expect(pickEdition(info, 'Enterprise')).toMatchObject({ error: expect.stringMatching(/not on this ISO; it has: Windows 11 Home, Windows 11 Pro/) });
  });

  it('Windows 10 from its build number; an install.esd is read the same way', async () => {
    const iso = join(dir, 'w10.iso');
    await buildWindowsIso(iso, { label: 'CCCOMA_X64FRE_EN-US_DV9', file: 'install.esd', editions: [{ name: 'Windows 10 Pro', editionId: 'Professional', build: 19045 }] });
    expect(await recognizeWindowsIso(iso)).toMatchObject({ version: '10', source: 'install.esd', images: [{ name: 'Windows 10 Pro', build: 19045 }] });
  });

  it("Microsoft's UDF-only layout: install.wim hidden from the ISO 9660 tree is found in UDF, its editions read in place", async () => {
    const iso = join(dir, 'udf.iso');
    await buildWindowsIso(iso, {
      label: 'CCCOMA_X64FRE_EN-US_DV9',
      udfOnly: true,
      padMiB: 2,
      editions: [
        { name: 'Windows 11 Home', editionId: 'Core', build: 26100 },
        { name: 'Windows 11 Pro', editionId: 'Professional', build: 26100 },
      ],
    });
    // The ISO 9660 tree really lacks it (what xorriso, and the reader before UDF, saw).
    const listed = await execa('xorriso', ['-indev', iso, '-find', '/sources', '-type', 'f'], { stdin: 'ignore', reject: false });
    expect(`${listed.stdout}`).not.toMatch(/install\.wim/i);
    const info = await recognizeWindowsIso(iso);
    expect(info).toMatchObject({ label: 'CCCOMA_X64FRE_EN-US_DV9', version: '11', source: 'install.wim', filesystem: 'udf' });
    expect(info.images.map((i) => [i.name, i.editionId, i.build])).toEqual([
      ['Windows 11 Home', 'Core', 26100],
      ['Windows 11 Pro', 'Professional', 26100],
    ]);
    expect(pickEdition(info)).toMatchObject({ name: 'Windows 11 Pro' });
  });

  it('without an install image only the label is read, and the edition must be named', async () => {
    const iso = join(dir, 'bare.iso');
    await buildWindowsIso(iso, { label: 'WIN11_24H2_X64', file: null, editions: [] });
    const info = await recognizeWindowsIso(iso);
    expect(info).toMatchObject({ label: 'WIN11_24H2_X64', version: '11', source: 'label', images: [] });
    expect(pickEdition(info)).toMatchObject({ error: expect.stringMatching(/could not be read; name it/) });
    expect(pickEdition(info, 'Windows 11 Pro')).toMatchObject({ name: 'Windows 11 Pro' });
  });

  it('a file that is not an ISO is refused in plain words', async () => {
    const f = join(dir, 'not.iso');
    await writeFile(f, Buffer.alloc(64 * 1024));
    await expect(readVolumeLabel(f)).rejects.toThrow(/is not an ISO image/);
  });
});

describe('the hand-written stand-in WIM (for hosts without wimtools)', () => {
  it('reads the same as one wimtools wrote', async () => {
    const iso = join(dir, 'min.iso');
    await buildWindowsIso(iso, { label: 'CCCOMA_X64FRE_EN-US_DV9', wimtools: false, editions: [{ name: 'Windows 11 Pro', editionId: 'Professional', build: 22631 }] });
    expect(await recognizeWindowsIso(iso)).toMatchObject({ version: '11', images: [{ index: 1, name: 'Windows 11 Pro', editionId: 'Professional', build: 22631 }] });
  });
});
