// Hostile input to `guestbay create`: each refused with a specific message, nothing on disk.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
let iso: string;
let aFile: string;

beforeAll(async () => {
  t = await tempHome('gb-cli-');
  iso = join(t.home, 'debian.iso');
  aFile = join(t.home, 'notes.txt');
  await writeFile(iso, 'iso');
  await writeFile(aFile, 'text');
  await mkdir(join(t.home, 'Shared'));
});
afterAll(() => t.cleanup());

const nothingWritten = async () => expect(await readdir(t.home)).toEqual(expect.not.arrayContaining(['data']));

describe('guestbay create refuses hostile input', () => {
  it.each([
    ['../evil', /name: a name uses only letters/],
    ['my vm', /name: a name uses only letters/],
    ["it's", /name: a name uses only letters/],
    ['"quoted"', /name: a name uses only letters/],
    ['$(touch pwned)', /name: a name uses only letters/],
    ['x'.repeat(300), /name: a name is at most 64 characters/],
  ])('name %j', async (name, message) => {
    const r = await cli(['create', '--preset', 'linux', '--name', name], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('nothing was written');
    await nothingWritten();
  });

  it.each([
    [['--iso', '/nonexistent/win.iso'], /iso: the install image \/nonexistent\/win.iso does not exist/],
    [['--disk-size', '-5G'], /diskSize: "-5G" is negative/],
    [['--disk-size', '9999T'], /diskSize: "9999T" is too large: a disk is at most 16 TiB/],
    [['--share', 'notes.txt'], /shares.0: the shared folder .*notes.txt is not a folder/],
    [['--share', '/nonexistent'], /shares.0: the shared folder \/nonexistent does not exist/],
    [['--kernel', 'Shared'], /kernel: the kernel .*Shared is not a file/],
  ])('%j', async (extra, message) => {
    const r = await cli(['create', '--preset', 'linux', '--name', 'ok', ...extra], t.env, t.home);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    await nothingWritten();
  });

  it('several problems at once are all named', async () => {
    const r = await cli(['create', '--preset', 'linux', '--name', 'a b', '--disk-size', '-5G', '--iso', '/nope.iso'], t.env);
    expect(r.stderr).toMatch(/name:.*\n.*diskSize:.*\n.*iso:/);
  });

  it('an unknown preset or option is a usage error (exit 2)', async () => {
    expect((await cli(['create', '--preset', 'beos', '--name', 'x'], t.env)).stderr).toMatch(/unknown preset "beos"/);
    expect((await cli(['create', '--bogus'], t.env)).code).toBe(2);
    await nothingWritten();
  });

  it('--json errors carry the fields', async () => {
    const r = await cli(['create', '--preset', 'linux', '--name', '../x', '--json'], t.env);
    expect(JSON.parse(r.stderr)).toMatchObject({ error: 'ConfigError', fields: [{ field: 'name' }] });
  });

  it('delete refuses without --yes and keeps disks unless asked', async () => {
    const ok = await cli(['create', '--preset', 'linux', '--name', 'keep', '--disk-size', '1G', '--iso', iso], t.env);
    expect(ok.code, ok.stderr).toBe(0);
    const dir = join(t.home, 'data/guestbay/vms/keep');
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['vm.json', 'disk.qcow2']));
    const refused = await cli(['delete', 'keep'], t.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs --yes/);
    expect(await readdir(dir)).toContain('vm.json');
    const del = await cli(['delete', 'keep', '--yes'], t.env);
    expect(del.stdout).toMatch(/Kept its images:\n.*disk.qcow2/);
    expect(await readdir(dir)).toEqual(['disk.qcow2']);
    // Created again, it reuses the installed image instead of a blank one.
    expect((await cli(['create', '--preset', 'linux', '--name', 'keep', '--iso', iso], t.env)).code).toBe(0);
    expect((await cli(['list', '--json'], t.env)).stdout).toContain('"keep"');
  });
});
