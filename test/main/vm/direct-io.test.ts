// Whether a saved state's file takes O_DIRECT, asked of the real file system (the fallback for
// one that does not, e.g. ramfs or tmpfs before Linux 6.6, is a save without direct-io).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directIoWorks } from '../../../src/main/vm/direct-io';
import { hasDirectIoMigration, parseQmpSchema } from '../../../src/main/qemu/probe/qmp-schema';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-direct-io-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// What `dd oflag=direct` says of the same folder: the file system's own answer.
async function ddDirect(file: string): Promise<boolean> {
  return promisify(execFile)('dd', ['if=/dev/zero', `of=${file}`, 'bs=4096', 'count=1', 'oflag=direct', 'status=none']).then(
    () => true,
    () => false,
  );
}

describe('direct I/O on the saved state\'s file', () => {
  it('a save\'s file: the answer is the file system\'s, and the file is left empty for QEMU', async () => {
    const file = join(dir, 'state.partial');
    const works = await directIoWorks(file, 'out');
    expect(works).toBe(await ddDirect(join(dir, 'dd-probe')));
    if (works) expect((await stat(file)).size).toBe(0);
  });

  it('a restore\'s file is only read: its bytes stay as they are', async () => {
    const file = join(dir, 'state');
    await writeFile(file, 'saved');
    expect(await directIoWorks(file, 'in')).toBe(await ddDirect(join(dir, 'dd-probe')));
    expect(await readFile(file, 'utf8')).toBe('saved');
  });

  it('no file to read, or no folder to write in: no (QEMU then says what is wrong with the file)', async () => {
    expect(await directIoWorks(join(dir, 'missing'), 'in')).toBe(false);
    expect(await directIoWorks(join(dir, 'no', 'such', 'state.partial'), 'out')).toBe(false);
  });
});

describe('direct-io: the probe', () => {
  it.each([
    ['7.2', false],
    ['10.0', true],
  ])('QEMU %s: migrate-set-parameters takes direct-io: %s', async (v, has) => {
    const schema = parseQmpSchema(await readFile(join(__dirname, `../../fixtures/host/qemu/${v}/qmp-schema.jsonl`), 'utf8'));
    expect(hasDirectIoMigration(schema)).toBe(has);
  });

  it('found through the command\'s argument type, not an enum or another command', () => {
    const command = { name: 'migrate-set-parameters', 'meta-type': 'command', 'arg-type': '42' };
    expect(hasDirectIoMigration([command, { name: '42', 'meta-type': 'object', members: [{ name: 'direct-io', type: 'bool' }] }])).toBe(true);
    expect(hasDirectIoMigration([command, { name: '42', 'meta-type': 'object', members: [{ name: 'multifd-channels', type: 'int' }] }])).toBe(false);
    expect(hasDirectIoMigration([{ name: 'x', 'meta-type': 'enum', values: ['direct-io'] }])).toBe(false);
    expect(hasDirectIoMigration([{ ...command, name: 'other' }, { name: '42', 'meta-type': 'object', members: [{ name: 'direct-io' }] }])).toBe(false);
    expect(hasDirectIoMigration(null)).toBe(false);
  });
});
