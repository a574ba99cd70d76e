// Atomic writes, durable (synced: configs, saved states) or not (runtime files: a record of
// processes a power cut ends too): either way the file is whole, private, and no temp file stays.
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from '../../../src/main/vm/atomic-file';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each([{ durable: true }, { durable: false }])('writeFileAtomic %o', (o) => {
  it('replaces the file whole, 0600 by default, with no temp file left', async () => {
    const f = join(dir, 'guest.json');
    await writeJsonAtomic(f, { a: 1 }, o);
    await writeJsonAtomic(f, { a: 2, b: 'x'.repeat(100_000) }, o);
    expect(JSON.parse(await readFile(f, 'utf8'))).toMatchObject({ a: 2 });
    expect((await stat(f)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['guest.json']);
  });

  it('a write that cannot land (a folder in the way) leaves what was there and no temp file', async () => {
    const f = join(dir, 'busy');
    await mkdir(f);
    await expect(writeFileAtomic(f, 'data', 0o600, o)).rejects.toThrow();
    expect((await stat(f)).isDirectory()).toBe(true);
    expect(await readdir(dir)).toEqual(['busy']);
  });
});
