// Issue 20's acceptance for `guestbay windows prepare`: the real command against stand-ins —
// Windows 11 and 10 ISOs built with xorriso (install.wim's XML names the editions), a virtio-win
// disc served over HTTP with Range by a local server that corrupts a body and drops a
// connection — the real mtools for the answer disk, and the guest it makes started paused by
// this machine's QEMU (7.2 here, 10 in the chroot) with the Windows ISO, the virtio-win disc,
// the answer disk, the TPM and the Secure Boot firmware. No Windows runs here.
import { DOMParser } from '@xmldom/xmldom';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostCaps, type HostCaps } from '../../../src/shared/host-caps';
import type { VmConfig } from '../../../src/shared/vm-config';
import type { LaunchPlan } from '../../../src/main/qemu/plan';
import { readFatFile } from '../../../src/main/macos/disk/fat-disk';
import { guestbay, ROOT, tempHome } from '../../helpers/cli';
import { sha256, startRangeServer, type RangeServer } from '../../helpers/range-server';
import { buildWindowsIso } from '../../helpers/windows-iso';
import { buildVirtioWinIso, VIRTIO_WIN_ARCHIVE_PATH } from '../../helpers/virtio-win-iso';
import { startFakeMicrosoft, type FakeMicrosoft } from '../../helpers/fake-microsoft';

let t: Awaited<ReturnType<typeof tempHome>>;
let srv: RangeServer;
let caps: HostCaps;
let virtioIso: Buffer;
let ms: FakeMicrosoft;
const vms = () => join(t.env.XDG_DATA_HOME!, 'guestbay/vms');
const iso = (n: string) => join(t.home, n);

beforeAll(async () => {
  t = await tempHome('gb-winprep-');
  // The stand-in virtio-win disc: the real layout's folders and files, nothing that runs.
  await buildVirtioWinIso(join(t.home, 'virtio-win.iso'));
  virtioIso = await readFile(join(t.home, 'virtio-win.iso'));
  // The chroot has no wimtools: the stand-in WIMs carry only the header and XML metadata.
  await buildWindowsIso(iso('Win11.iso'), { label: 'CCCOMA_X64FRE_EN-US_DV9', wimtools: false, editions: [{ name: 'Windows 11 Home', editionId: 'Core', build: 26100 }, { name: 'Windows 11 Pro', editionId: 'Professional', build: 26100 }] });
  await buildWindowsIso(iso('Win10.iso'), { label: 'CCCOMA_X64FRE_EN-US_DV9', wimtools: false, editions: [{ name: 'Windows 10 Pro', editionId: 'Professional', build: 19045 }] });
  srv = await startRangeServer();
  ms = await startFakeMicrosoft(await readFile(iso('Win11.iso')));
  srv.files.set(VIRTIO_WIN_ARCHIVE_PATH, { body: virtioIso });
  caps = hostCaps.parse(JSON.parse((await guestbay(['probe', '--json'], t.env)).stdout));
}, 120_000);
afterAll(async () => {
  for (const n of ['win11', 'win10', 'winms']) await guestbay(['stop', n, '--force'], t.env);
  await srv?.stop();
  await ms?.stop();
  await t?.cleanup();
});

const VIRTIO_PATH = VIRTIO_WIN_ARCHIVE_PATH;
const run = (args: string[], input = 'S3cret & <pw>\n') =>
  execa('node', [join(ROOT, 'bin/guestbay.mjs'), ...args], { env: t.env, reject: false, timeout: 300_000, input });
const src = (sha: string) => ['--virtio-win-url', `${srv.base}${VIRTIO_PATH}`, '--virtio-win-sha256', sha];
const config = async (name: string): Promise<VmConfig> => JSON.parse(await readFile(join(vms(), name, 'vm.json'), 'utf8'));

describe('guestbay windows prepare', () => {
  it('refuses bad input before downloading anything, and writes nothing', async () => {
    const noIso = await run(['windows', 'prepare', '--name', 'win11', '--password-stdin']);
    expect(noIso.stderr).toMatch(/--iso FILE .* or --download 10\|11/);
    const flag = await run(['windows', 'prepare', '--name', 'win11', '--iso', iso('Win11.iso'), '--password', 'x']);
    expect(flag.exitCode).not.toBe(0);
    const badUser = await run(['windows', 'prepare', '--name', 'win11', '--iso', iso('Win11.iso'), '--user', 'Administrator', '--password-stdin', '--allow-tcg', ...src(sha256(virtioIso))]);
    expect(badUser.stderr).toMatch(/user: "Administrator" is an account Windows keeps for itself/);
    const badEdition = await run(['windows', 'prepare', '--name', 'win11', '--iso', iso('Win11.iso'), '--edition', 'Enterprise', '--user', 'ada', '--password-stdin', '--allow-tcg', ...src(sha256(virtioIso))]);
    expect(badEdition.stderr).toMatch(/edition: "Enterprise" is not on this ISO; it has: Windows 11 Home, Windows 11 Pro/);
    const notIso = await run(['windows', 'prepare', '--name', 'win11', '--iso', join(ROOT, 'package.json'), '--user', 'ada', '--password-stdin', '--allow-tcg', ...src(sha256(virtioIso))]);
    expect(notIso.stderr).toMatch(/iso: .*is not an ISO image/);
    if (caps.accel === 'tcg') {
      const tcg = await run(['windows', 'prepare', '--name', 'win11', '--iso', iso('Win11.iso'), '--user', 'ada', '--password-stdin', ...src(sha256(virtioIso))]);
      expect(tcg.stderr).toMatch(/No KVM: Windows will be extremely slow(.|\n)*--allow-tcg/);
    }
    expect(srv.log).toEqual([]);
    expect(await readdir(vms()).catch(() => [])).toEqual([]);
  });

  it('a corrupt virtio-win download is refused and leaves no guest; a dropped one resumes; the result starts paused in QEMU', async () => {
    const args = ['windows', 'prepare', '--name', 'win11', '--iso', iso('Win11.iso'), '--user', 'ada', '--password-stdin', '--allow-tcg', '--disk-size', '64G'];
    srv.files.get(VIRTIO_PATH)!.corrupt = 1;
    const bad = await run([...args, ...src(sha256(virtioIso))]);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/does not have the SHA-256 it must have/);
    expect((await readdir(vms())).filter((f) => !f.startsWith('.'))).toEqual([]);

    // Trust on first use: no pin given; the first complete download's hash is recorded and said.
    srv.files.get(VIRTIO_PATH)!.dropAfter = { bytes: 1_000_000, times: 1 };
    srv.log.length = 0;
    const r = await run([...args, ...src('tofu')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(srv.log.map((l) => l.status)).toEqual([200, 206]);
    expect(r.stderr).toMatch(/\[1\/5\](.|\n)*\[2\/5\](.|\n)*Windows 11 \(CCCOMA_X64FRE_EN-US_DV9, editions read from install\.wim\): installing Windows 11 Pro(.|\n)*\[3\/5\](.|\n)*\[4\/5\](.|\n)*\[5\/5\] Creating "win11"/);
    expect(r.stderr).toMatch(new RegExp(`no SHA-256 is pinned .* recorded its SHA-256 ${sha256(virtioIso)}`));
    expect(r.stdout).toMatch(/Created "win11" \(Windows 11, Windows 11 Pro\)/);
    expect(r.stdout).toMatch(/remove it once Windows is installed/);

    expect((await readdir(join(vms(), 'win11'))).sort()).toEqual(['Autounattend.img', 'disk.qcow2', 'vm.json']);
    const c = await config('win11');
    expect(c.media.map((m) => [m.id, m.role, m.as, m.bus])).toEqual([
      ['install0', 'install', 'cdrom', 'sata'],
      ['drivers1', 'drivers', 'cdrom', 'sata'],
      ['answer0', 'drivers', 'disk', 'usb'],
    ]);
    expect(c.disks[0]!.bus).toBe('virtio');
    expect(c.tpm.enabled).toBe(true);
    // The virtio-win disc is the one cache for every guest.
    expect(c.media[1]!.path).toBe(join(t.env.XDG_CACHE_HOME!, 'guestbay/downloads/virtio-win-0.1.285.iso'));

    // The answer file on the disk, read back with an XML parser.
    const xml = (await readFatFile({ disk: join(vms(), 'win11', 'Autounattend.img'), format: 'raw', path: 'autounattend.xml' })).toString('utf8');
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const texts = (tag: string) => Array.from(doc.getElementsByTagName(tag)).map((e) => e.textContent);
    expect(texts('ComputerName')).toEqual(['WIN11']);
    expect(texts('Value')).toContain('Windows 11 Pro');
    expect(texts('Name')).toEqual(['ada']);
    expect(Buffer.from(texts('Value').find((v) => v!.length > 20 && v !== 'Windows 11 Pro')!, 'base64').toString('utf16le')).toBe('S3cret & <pw>Password');
    expect(xml).not.toContain('S3cret');

    // QEMU accepts it: Windows ISO, virtio-win disc, answer disk, TPM, Secure Boot firmware.
    const plan: LaunchPlan = JSON.parse((await guestbay(['cmdline', 'win11', '--json', '--paused', '--headless'], t.env)).stdout);
    const a = plan.args.join(' ');
    expect(a).toContain(`file=${iso('Win11.iso')},format=raw,media=cdrom`);
    expect(a).toMatch(/file=[^ ]*virtio-win-0\.1\.285\.iso,format=raw,media=cdrom/);
    expect(a).toMatch(/file=[^ ]*\/win11\/Autounattend\.img,format=raw,readonly=on/);
    expect(a).toMatch(/usb-storage,bus=usb0\.0,drive=[^ ]*answer0/);
    expect(a).toMatch(/-device tpm-crb,tpmdev=tpm0/);
    expect(a).toMatch(/-global driver=cfi\.pflash01,property=secure,value=on/);
    expect(plan.args.find((x) => x.includes('if=pflash,unit=0'))).toMatch(/secboot|\.ms\.fd|OVMF_CODE.*\.fd/i);
    expect(plan.sidecars.map((s) => s.id)).toContain('swtpm');
    const start = await guestbay(['start', 'win11', '--paused', '--headless'], t.env);
    expect(start.exitCode, start.stderr).toBe(0);
    expect(JSON.parse((await guestbay(['status', 'win11', '--json'], t.env)).stdout)).toMatchObject({ name: 'win11', state: 'paused' });
    expect((await guestbay(['stop', 'win11', '--force'], t.env)).exitCode).toBe(0);
  }, 600_000);

  it('Windows 10 with the user\'s own virtio-win disc: nothing downloaded, the Guestbay folder mapped to Z:, and QEMU starts it paused', async () => {
    srv.log.length = 0;
    // As a new user's settings have it (the test home opts out): the Guestbay folder in every new guest.
    expect((await guestbay(['settings', 'set', 'new-guests-get-folder', 'yes'], t.env)).exitCode).toBe(0);
    const r = await run(['windows', 'prepare', '--name', 'win10', '--iso', iso('Win10.iso'), '--virtio-win', join(t.home, 'virtio-win.iso'), '--user', 'bob', '--password-stdin', '--allow-tcg'], 'pw\n');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(srv.log).toEqual([]);
    const xml = (await readFatFile({ disk: join(vms(), 'win10', 'Autounattend.img'), format: 'raw', path: 'autounattend.xml' })).toString('utf8');
    expect(xml).toContain('\\viostor\\w10\\amd64');
    expect(xml).not.toContain('\\w11\\');
    // The drivers disc brings virtio-fs (virtiofsd works here); else SMB through QEMU's own server.
    expect(xml).toMatch(/VirtioFsSvc|net use Z:/);
    const c = await config('win10');
    expect(c.guestbayFolder).toBe(true);
    expect(c.tpm.enabled).toBe(false);
    expect(c.media[1]!.path).toBe(join(t.home, 'virtio-win.iso'));
    const start = await guestbay(['start', 'win10', '--paused', '--headless'], t.env);
    expect(start.exitCode, start.stderr).toBe(0);
    expect(JSON.parse((await guestbay(['status', 'win10', '--json'], t.env)).stdout)).toMatchObject({ name: 'win10', state: 'paused' });
    expect((await guestbay(['cmdline', 'win10', '--headless'], t.env)).stdout).toMatch(/tag=guestbay\b|smb=/);
    expect((await guestbay(['settings', 'set', 'new-guests-get-folder', 'no'], t.env)).exitCode).toBe(0);
  }, 600_000);

  it("Windows 11 from Microsoft's download service: a refusal says where to download by hand; a download ends in a guest QEMU starts", async () => {
    const args = ['windows', 'prepare', '--name', 'winms', '--download', '11', '--microsoft-server', ms.srv.base, '--virtio-win', join(t.home, 'virtio-win.iso'), '--user', 'ada', '--password-stdin', '--allow-tcg'];
    ms.refuse = true;
    const no = await run(args);
    expect(no.exitCode).not.toBe(0);
    expect(no.stderr).toMatch(/refused to hand out Windows 11 \(Sentinel marked this request as rejected\.\)(.|\n)*\/en-us\/software-download\/windows11 (.|\n)*--iso FILE/);
    expect((await readdir(vms())).filter((f) => f === 'winms')).toEqual([]);

    ms.refuse = false;
    ms.srv.files.get(ms.isoPath)!.dropAfter = { bytes: 200_000, times: 1 };
    const r = await run(args);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(ms.srv.log.filter((l) => l.path === ms.isoPath).map((l) => l.status)).toEqual([200, 206]);
    expect(r.stdout).toMatch(/matches the hash Microsoft publishes/);
    const c = await config('winms');
    expect(c.media[0]!.path).toBe(join(t.env.XDG_CACHE_HOME!, 'guestbay/downloads/Win11_24H2_English_x64.iso'));
    const start = await guestbay(['start', 'winms', '--paused', '--headless'], t.env);
    expect(start.exitCode, start.stderr).toBe(0);
    expect(JSON.parse((await guestbay(['status', 'winms', '--json'], t.env)).stdout)).toMatchObject({ name: 'winms', state: 'paused' });
  }, 600_000);
});
