// The OpenCore boot disk end to end with the real tools: the fake release is served over HTTP
// to fetchOpenCore, built into a qcow2 with mtools + qemu-img, read back independently, and
// booted by OVMF (as QEMU's firmware descriptors describe it) under TCG. The fake release's
// BOOTx64.efi is a tiny UEFI program that writes a marker to QEMU's debug console and powers
// off: QEMU exiting on its own with the marker logged proves OVMF found \EFI\BOOT\BOOTx64.efi
// on this disk's ESP and ran it, which is all the real OpenCore's Bootstrap needs.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostCaps } from '../../../../src/shared/host-caps';
import { pickFirmware } from '../../../../src/main/host/firmware';
import { probeHost } from '../../../../src/main/host/probe';
import { generateIdentity } from '../../../../src/main/macos/identity';
import { fetchOpenCore } from '../../../../src/main/macos/opencore/fetch';
import { buildOpenCoreImage, MTOOLS_MISSING } from '../../../../src/main/macos/opencore/image';
import { ZipArchive } from '../../../../src/main/macos/opencore/zip';
import { EFI_MARKER, fakeRelease, markerEfiApp } from './fake-release';

const release = fakeRelease({ bootx64: markerEfiApp() });
const identity = generateIdentity({ model: 'iMacPro1,1' });
let server: http.Server;
let dir: string;
let caps: HostCaps;
let zipPath: string;
let image: string;
let built: Awaited<ReturnType<typeof buildOpenCoreImage>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guestbay-ocimage-'));
  server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Length': release.zip.length }).end(release.zip));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/OpenCore-9.9.9-RELEASE.zip`;
  const fetched = await fetchOpenCore({ pin: { version: '9.9.9', sha256: release.sha256 }, url, cacheDir: join(dir, 'cache') });
  zipPath = fetched.path;
  caps = await probeHost({ xdgCacheHome: join(dir, 'probe-cache') });
  image = join(dir, 'OpenCore.qcow2');
  built = await buildOpenCoreImage({ zip: zipPath, identity, resolution: { width: 1920, height: 1080 }, out: image, release: 'sonoma' });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

const EXPECTED = [
  'EFI/BOOT/BOOTx64.efi',
  'EFI/BOOT/.contentFlavour',
  'EFI/BOOT/.contentVisibility',
  'EFI/OC/OpenCore.efi',
  'EFI/OC/.contentFlavour',
  'EFI/OC/.contentVisibility',
  'EFI/OC/config.plist',
  'EFI/OC/Drivers/OpenRuntime.efi',
  'EFI/OC/Drivers/OpenHfsPlus.efi',
  'EFI/OC/Drivers/OpenPartitionDxe.efi',
  'EFI/OC/Drivers/ResetNvramEntry.efi',
];

/** The image back as raw, and its ESP's byte offset read from the GPT entry itself. */
async function rawEsp(): Promise<{ raw: string; esp: string }> {
  const raw = join(dir, `check-${Date.now()}.raw`);
  await execa('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', image, raw]);
  const head = (await readFile(raw)).subarray(0, 2048);
  expect(head.toString('latin1', 512, 520)).toBe('EFI PART');
  const startLba = Number(head.readBigUInt64LE(1024 + 32));
  return { raw, esp: `${raw}@@${startLba * 512}` };
}

const mtoolsEnv = { MTOOLS_SKIP_CHECK: '1' };

describe('OpenCore boot disk', () => {
  it('is a qcow2 holding exactly the release files and the generated config', async () => {
    const info = JSON.parse((await execa('qemu-img', ['info', '--output=json', image])).stdout) as { format: string; 'virtual-size': number };
    expect(info.format).toBe('qcow2');
    expect(info['virtual-size']).toBe(128 * 2 ** 20);
    expect([...built.files].sort()).toEqual([...EXPECTED].sort());
    // Nothing the config does not load: OpenCanopy, AudioDxe, tools and IA32 stay out.
    expect(built.files.some((f) => /OpenCanopy|AudioDxe|OpenShell|IA32/.test(f))).toBe(false);
  });

  it('reads back with mdir/mtype: FAT32 label OPENCORE, the files byte for byte', async () => {
    const { raw, esp } = await rawEsp();
    try {
      const minfo = (await execa('minfo', ['-i', esp, '::'], { env: mtoolsEnv })).stdout;
      expect(minfo).toMatch(/hidden sectors: 2048/);
      const label = (await execa('mlabel', ['-i', esp, '-s', '::'], { env: mtoolsEnv })).stdout;
      expect(label).toMatch(/OPENCORE/);
      const listing = (await execa('mdir', ['-i', esp, '-/', '-b', '-a', '::/'], { env: mtoolsEnv })).stdout;
      for (const f of EXPECTED) expect(listing).toContain(`::/${f}`);
      const zip = await ZipArchive.open(zipPath);
      const get = async (p: string) => (await execa('mtype', ['-i', esp, `::/${p}`], { env: mtoolsEnv, encoding: 'buffer', stripFinalNewline: false })).stdout;
      expect(Buffer.from(await get('EFI/BOOT/BOOTx64.efi'))).toEqual(zip.read('X64/EFI/BOOT/BOOTx64.efi'));
      expect(Buffer.from(await get('EFI/OC/Drivers/OpenHfsPlus.efi'))).toEqual(zip.read('X64/EFI/OC/Drivers/OpenHfsPlus.efi'));
      expect(Buffer.from(await get('EFI/OC/config.plist')).toString()).toBe(built.configXml);
      expect(built.configXml).toContain(`<string>${identity.serial}</string>`);
    } finally {
      await rm(raw, { force: true });
    }
  });

  for (const bus of ['sata', 'virtio'] as const) {
    it(`OVMF finds and runs \\EFI\\BOOT\\BOOTx64.efi from it on ${bus} (TCG, q35)`, async () => {
      if (!caps.qemu) throw new Error('this test needs qemu-system-x86_64');
      const machine = caps.qemu.machineAliases.q35 ?? 'q35';
      const fw = pickFirmware(caps.firmware, { type: 'uefi', secureBoot: false, machine });
      if (!fw?.varsTemplate) throw new Error(`no UEFI firmware for ${machine} in QEMU's firmware descriptors`);
      const run = join(dir, `boot-${bus}`);
      await mkdir(run, { recursive: true });
      const vars = join(run, 'vars.fd');
      await copyFile(fw.varsTemplate, vars);
      // A copy: the boot writes UEFI variables, and the image under test stays as built.
      const disk = join(run, 'disk.qcow2');
      await execa('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', image, '-F', 'qcow2', disk]);
      const debugLog = join(run, 'debugcon.log');
      await writeFile(debugLog, '');
      const diskArgs =
        bus === 'sata'
          ? ['-drive', `if=none,id=oc,format=qcow2,file=${disk}`, '-device', 'ide-hd,bus=ide.0,drive=oc,bootindex=0']
          : ['-drive', `if=none,id=oc,format=qcow2,file=${disk}`, '-device', 'virtio-blk-pci,drive=oc,bootindex=0'];
      const t = performance.now();
      const r = await execa(
        caps.qemu.binary,
        [
          '-machine', `${machine}${fw.requiresSmm ? ',smm=on' : ''}`,
          '-accel', 'tcg',
          '-m', '256',
          '-nodefaults',
          '-display', 'none',
          '-no-reboot',
          ...(fw.requiresSmm ? ['-global', 'driver=cfi.pflash01,property=secure,value=on'] : []),
          '-drive', `if=pflash,unit=0,format=${fw.format},readonly=on,file=${fw.executable}`,
          '-drive', `if=pflash,unit=1,format=${fw.format},file=${vars}`,
          ...diskArgs,
          '-debugcon', `file:${debugLog}`,
          '-global', 'isa-debugcon.iobase=0x402',
        ],
        { timeout: 30_000, reject: false },
      );
      const log = await readFile(debugLog, 'latin1');
      console.log(`${caps.qemu.version}, ${fw.executable}, ${bus}: QEMU exited ${r.exitCode ?? r.signal} after ${Math.round(performance.now() - t)} ms; marker ${log.includes(EFI_MARKER) ? 'seen' : 'missing'}`);
      expect(r.timedOut, `QEMU still running after 30 s; debugcon:\n${log.slice(-2000)}\n${r.stderr}`).toBe(false);
      expect(log).toContain(EFI_MARKER);
      expect(r.exitCode).toBe(0);
    });
  }

  it('says how to install mtools when it is missing, and which file a wrong zip lacks', async () => {
    const empty = join(dir, 'no-tools');
    await mkdir(empty, { recursive: true });
    const base = { identity, resolution: { width: 1280, height: 800 }, out: join(dir, 'x.qcow2') };
    await expect(buildOpenCoreImage({ ...base, zip: zipPath, mtoolsDir: empty })).rejects.toThrow(MTOOLS_MISSING);
    expect(MTOOLS_MISSING).toMatch(/pacman -S mtools/);
    const broken = join(dir, 'broken.zip');
    await writeFile(broken, fakeRelease({ omit: ['X64/EFI/OC/Drivers/OpenHfsPlus.efi'] }).zip);
    await expect(buildOpenCoreImage({ ...base, zip: broken })).rejects.toThrow(/has no X64\/EFI\/OC\/Drivers\/OpenHfsPlus.efi/);
  });
});
