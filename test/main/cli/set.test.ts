// The CLI's side of changing guests (issue 14): `set`, `edit`, `media`, `rename`, `pending`,
// `usb` and `create`'s flags, run in this process against a private HOME. No guest is started
// (test/main/vm/edit.qemu.test.ts runs the live side).
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
const vmJson = (name: string) => readFile(join(t.env.XDG_DATA_HOME!, 'guestbay/vms', name, 'vm.json'));
const run = (...args: string[]) => cli(args, t.env, t.home);

beforeAll(async () => {
  t = await tempHome('gb-cli-set-');
  await writeFile(join(t.home, 'x.iso'), Buffer.alloc(64 * 1024));
  expect((await run('create', '--preset', 'linux', '--name', 'deb', '--disk-size', '1G')).code).toBe(0);
});
afterAll(() => t.cleanup());

describe('guestbay set', () => {
  it('bad values: a message per key in plain words, exit 1, and vm.json byte for byte unchanged', async () => {
    const before = await vmJson('deb');
    const cases: [string, RegExp][] = [
      ['cores=99', /^ {2}cores: This computer has \d+ threads?: give the guest at most \d+ cores?\.$/m],
      ['memory=1000000000G', /^ {2}memory: A guest can have at most 4096 GiB of memory\.$/m],
      ['colour=blue', /^ {2}colour: There is no setting "colour": guestbay set NAME --help lists them\.$/m],
      ['forward+=tcp:2222', /^ {2}forward: A port forward is \[tcp\|udp:\]\[ADDRESS:\]HOSTPORT:GUESTPORT/m],
      [`media=${t.home}/x\n.iso`, /^ {2}media: The path contains a control character/m],
    ];
    for (const [assignment, message] of cases) {
      const r = await run('set', 'deb', assignment);
      expect(r.code, assignment).toBe(1);
      expect(r.stderr, assignment).toMatch(/^guestbay: the request was refused, nothing was written:/);
      expect(r.stderr, assignment).toMatch(message);
      expect(r.stderr).not.toMatch(/Invalid input|expected .*, received/);
    }
    // --json: the fields, for scripts.
    const j = await run('set', 'deb', 'cores=99', '--json');
    expect(JSON.parse(j.stderr)).toMatchObject({ error: 'ConfigError', fields: [{ field: 'cores' }] });
    expect(await vmJson('deb')).toEqual(before);
  });

  it('changes what it is told, shows it in show and cmdline, and prints the warnings a change deserves', async () => {
    const r = await run('set', 'deb', 'memory=768M', 'cores=1', 'nic=e1000e', 'forward+=tcp:2222:22', 'media=~/x.iso', 'title=My VM', 'firmware=bios');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Saved the settings of deb.\n');
    expect(r.stderr).toMatch(/^warning: Switching from UEFI to BIOS makes a system installed for UEFI unbootable/);
    const show = await run('show', 'deb');
    expect(show.stdout).toContain('deb — My VM (linux generic)');
    expect(show.stdout).toContain('firmware bios, 1 cores (auto), 768 MiB');
    expect(show.stdout).toContain(`drive cd0 (install): ${join(t.home, 'x.iso')} (cdrom on sata)`);
    expect(show.stdout).toContain('network user (e1000e) 127.0.0.1:2222→22/tcp');
    const cmd = (await run('cmdline', 'deb')).stdout;
    expect(cmd).toContain('-m 768M');
    expect(cmd).toContain('hostfwd=tcp:127.0.0.1:2222-:22');
    expect(cmd).toContain(`file=${join(t.home, 'x.iso')}`);
    expect(JSON.parse((await run('set', 'deb', 'forward-=tcp:2222', '--json')).stdout).config.network.portForwards).toEqual([]);
  });

  it('memory-file: create --memory-file, set on|off, shown with its cost, and in the printed command', async () => {
    const c = await run('create', '--preset', 'linux', '--name', 'memfile', '--disk-size', '1G', '--memory', '1G', '--memory-file');
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(String(await vmJson('memfile'))).memoryFile).toBe(true);
    expect((await run('show', 'memfile')).stdout).toContain("memory in a file: on (memory.ram in the guest's folder: uses 1 GiB of disk; the host writes the guest's changed memory to the disk while it runs)");
    const cmd = (await run('cmdline', 'memfile')).stdout;
    expect(cmd).toContain(`memory-backend-file,id=mem,mem-path=${join(t.env.XDG_DATA_HOME!, 'guestbay/vms/memfile/memory.ram')},size=1024M,share=on`);
    expect(cmd).toContain('memory-backend=mem');
    expect((await run('set', 'memfile', 'memory-file=off')).code).toBe(0);
    expect(JSON.parse(String(await vmJson('memfile')))).not.toHaveProperty('memoryFile');
    expect((await run('show', 'memfile')).stdout).toContain('memory in a file: off');
    expect((await run('cmdline', 'memfile')).stdout).not.toContain('memory.ram');
    expect((await run('set', 'memfile', 'memory-file=on')).code).toBe(0);
    expect(JSON.parse(String(await vmJson('memfile'))).memoryFile).toBe(true);
    const bad = await run('set', 'memfile', 'memory-file=maybe');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^ {2}memory-file: /m);
  });

  it('--help lists every key with its values and when it applies', async () => {
    for (const args of [['set', '--help'], ['set', 'deb', '--help']]) {
      const r = await run(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: guestbay set NAME key=value…/);
      expect(r.stdout).toMatch(/^ {2}memory: Memory for the guest\. Applies at the next start\.$/m);
      expect(r.stdout).toMatch(/^ {2}forward \(list\): .* Applies at once on a running guest\.$/m);
      expect(r.stdout).toMatch(/^ {6}e1000e: Intel e1000e \(emulated, Windows has the driver\)$/m);
    }
    // Every new command takes --help.
    for (const c of ['edit', 'media', 'rename', 'pending', 'usb']) expect((await run(c, '--help')).stdout).toMatch(new RegExp(`^usage: guestbay ${c} `));
  });
});

describe('guestbay media, rename, pending, usb', () => {
  it('media lists the drives, inserts and ejects on a stopped guest', async () => {
    expect((await run('media', 'deb')).stdout).toBe(`cd0\tCD/DVD (install, sata)\t${join(t.home, 'x.iso')}\n`);
    const e = await run('media', 'deb', 'eject');
    expect(e.code, e.stderr).toBe(0);
    expect((await run('media', 'deb')).stdout).toBe('cd0\tCD/DVD (install, sata)\tempty\n');
    expect((await run('media', 'deb', 'insert', 'x.iso', '--drive', 'cd0')).code).toBe(0);
    const bad = await run('media', 'deb', 'insert', 'nope.iso');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`media.0.path: ${join(t.home, 'nope.iso')} does not exist: pick the image again.`);
  });

  it('rename moves the guest; pending says nothing waits for a stopped guest; usb lists this host', async () => {
    expect((await run('create', '--preset', 'linux', '--name', 'old', '--disk-size', '1G')).code).toBe(0);
    const r = await run('rename', 'old', 'new');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Renamed old to new: .*\/vms\/new$/m);
    expect((await run('show', 'old')).code).toBe(1);
    expect((await run('rename', 'new', 'deb')).stderr).toContain('newName: A guest named deb already exists: choose another name.');
    expect((await run('pending', 'new')).stdout).toBe("Nothing waits for new's next start (it is not running, or it runs as its settings say).\n");
    const usb = await run('usb', '--json');
    expect(usb.code).toBe(0);
    expect(Array.isArray(JSON.parse(usb.stdout))).toBe(true);
  });
});

describe('guestbay edit', () => {
  it('opens the editor, reopens it with the reasons when refused, never writes an invalid file, and applies a valid edit', async () => {
    // An "editor" that makes a different change each time it is opened, and keeps what it saw.
    const script = join(t.home, 'editor.mjs');
    await writeFile(
      script,
      `import { readFileSync, writeFileSync, existsSync } from 'node:fs';
const file = process.argv[2];
const log = ${JSON.stringify(join(t.home, 'seen'))};
const n = existsSync(log) ? readFileSync(log, 'utf8').split('\\n=====\\n').length : 0;
const text = readFileSync(file, 'utf8');
writeFileSync(log, (n ? readFileSync(log, 'utf8') + '\\n=====\\n' : '') + text);
const body = text.split('\\n').filter((l) => !l.startsWith('//')).join('\\n');
if (n === 0) writeFileSync(file, body.replace(/"memoryMiB": \\d+/, '"memoryMiB": "lots"'));
else if (n === 1) writeFileSync(file, body.replace('"lots"', '"lots",,'));
else writeFileSync(file, body.replace(/"memoryMiB": "lots",,/, '"memoryMiB": 640'));
`,
    );
    await chmod(script, 0o755);
    const before = await vmJson('deb');
    const r = await cli(['edit', 'deb'], { ...t.env, VISUAL: `${process.execPath} ${script}` }, t.home);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Saved the settings of deb.\n');
    const seen = (await readFile(join(t.home, 'seen'), 'utf8')).split('\n=====\n');
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatch(/^\/\/ Editing deb\. Lines starting with \/\/ are ignored\./);
    expect(seen[1]).toMatch(/^\/\/ Refused, nothing was saved:\n\/\/ {3}memoryMiB: Memory must be a whole number of MiB, like 4096\.\n\/\/ Fix it and save again\.$/m);
    expect(seen[2]).toMatch(/^\/\/ Refused, nothing was saved: this is not valid JSON\.$/m);
    // While refused, vm.json stayed as it was; now it has the edit.
    expect(before.toString()).not.toContain('"memoryMiB": 640');
    expect(JSON.parse((await vmJson('deb')).toString()).memoryMiB).toBe(640);
  });

  it('respects the revision it opened: a change made meanwhile elsewhere is a conflict, and the edit is kept in a file', async () => {
    // An "editor" during which another process (a real guestbay set) changes the guest.
    const script = join(t.home, 'racing-editor.mjs');
    await writeFile(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
execFileSync(process.execPath, [${JSON.stringify(join(ROOT, 'bin/guestbay.mjs'))}, 'set', 'deb', 'memory=896M']);
const file = process.argv[2];
writeFileSync(file, readFileSync(file, 'utf8').replace(/"cores": \\d+/, '"cores": 2'));
`,
    );
    const r = await cli(['edit', 'deb'], { ...t.env, VISUAL: `${process.execPath} ${script}` }, t.home);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^guestbay: "deb" was changed elsewhere since you opened it \(memory\): your change was not saved\. Reload it and make your change again\. Your edit is kept in (\S+\.json)\.$/m);
    const kept = /Your edit is kept in (\S+\.json)\./.exec(r.stderr)![1]!;
    expect(await readFile(kept, 'utf8')).toContain('"cores": 2');
    // The other process's change stands; the edit did not overwrite it.
    expect(JSON.parse((await vmJson('deb')).toString())).toMatchObject({ memoryMiB: 896, cpu: { cores: 1 } });
  });

  it('an unchanged file is no change; an editor that fails changes nothing', async () => {
    const before = await vmJson('deb');
    expect((await cli(['edit', 'deb'], { ...t.env, VISUAL: 'true' }, t.home)).stdout).toBe('No change to deb.\n');
    const failed = await cli(['edit', 'deb'], { ...t.env, VISUAL: 'false' }, t.home);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the editor \(false\) exited with status 1: nothing was changed/);
    expect(await vmJson('deb')).toEqual(before);
  });
});

describe('guestbay create flags', () => {
  it('takes every choice the wizard asks, refused in the same words when wrong', async () => {
    const r = await run(
      'create', '--preset', 'linux', '--name', 'flags', '--disk-size', '1G', '--memory', '1G', '--cores', '1', '--threads', '2', '--firmware', 'bios', '--tpm',
      '--nic', 'e1000', '--forward', 'tcp:8080:80', '--forward', 'udp:5353:53', '--display', 'std', '--viewer', 'window', '--sound', 'none', '--usb', '046d:C52B', '--autostart', '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).config).toMatchObject({
      memoryMiB: 1024,
      cpu: { cores: 1, threads: 2 },
      firmware: 'bios',
      tpm: { enabled: true },
      network: { nic: 'e1000', portForwards: [{ protocol: 'tcp', hostAddress: '127.0.0.1', hostPort: 8080, guestPort: 80 }, { protocol: 'udp', hostPort: 5353, guestPort: 53 }] },
      display: { device: 'std', viewer: 'window' },
      audio: { device: 'none' },
      usb: { hostDevices: [{ vendorId: '046d', productId: 'c52b' }] },
      autostart: true,
    });
    const bad = await run('create', '--preset', 'linux', '--name', 'bad', '--memory', 'lots', '--forward', 'tcp:80', '--nic', 'ne2000');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('memory: Memory is a size like 4G or 512M; "lots" is not.');
    expect(bad.stderr).toContain('forward: A port forward is');
    const nic = await run('create', '--preset', 'linux', '--name', 'bad', '--nic', 'ne2000');
    expect(nic.stderr).toMatch(/overrides\.nic: /);
    expect((await run('show', 'bad')).code).toBe(1);
  });
});
