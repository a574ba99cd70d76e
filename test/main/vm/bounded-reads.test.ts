// Item 8 of issue 12: no read is unbounded. A FIFO in place of vm.json used to hang `list`
// forever, a 200 MB vm.json cost 680 MB of memory and a 200 MB `.damaged` copy, and
// `logs --lines 5` read the whole log (a 600 MB one printed nothing).
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, open, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capLog, previousLog, rotateAtStart } from '../../../src/main/vm/log-rotation';
import { CorruptConfigError, Store } from '../../../src/main/vm/store';
import { guestbayPaths } from '../../../src/main/vm/paths';
import { cli, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
let store: Store;
const within = <T>(p: Promise<T>, ms = 5000) => Promise.race([p, new Promise<never>((_, no) => setTimeout(() => no(new Error(`still waiting after ${ms} ms`)), ms))]);

beforeAll(async () => {
  t = await tempHome('gb-bounded-');
  store = new Store(guestbayPaths(t.env));
  for (const name of ['fifo', 'huge', 'fine']) expect((await cli(['create', '--preset', 'linux', '--name', name, '--disk-size', '1G'], t.env)).code).toBe(0);
});
afterAll(() => t.cleanup());

describe('reading a guest configuration', () => {
  it('a FIFO in place of vm.json is refused at once, and list still lists every guest', async () => {
    const file = store.dirs('fifo').configFile;
    await writeFile(file, ''); // replaced below
    execFileSync('rm', [file]);
    execFileSync('mkfifo', [file]);
    const err = await within(store.get('fifo')).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptConfigError);
    expect(err.message).toMatch(/damaged \(it is not a regular file\); it was not read, so no copy was made/);
    const list = await within(store.list());
    expect(list.map((g) => [g.name, g.error ? 'error' : 'ok'])).toEqual([['fifo', 'error'], ['fine', 'ok'], ['huge', 'ok']]);
    const r = await within(cli(['list'], t.env));
    expect(r.stdout).toMatch(/fine/);
  });

  it('a 200 MB vm.json is refused without being read or copied', async () => {
    const file = store.dirs('huge').configFile;
    await truncate(file, 200 * 2 ** 20); // sparse: costs no disk here
    const before = process.memoryUsage().rss;
    const err = await store.get('huge').catch((e) => e);
    expect(err).toBeInstanceOf(CorruptConfigError);
    expect(err.message).toMatch(/larger than the 1 MiB a configuration may be/);
    expect(err.keptAs).toBeNull();
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 2 ** 20);
    expect((await readdir(store.dirs('huge').dir)).filter((f) => f.includes('damaged'))).toEqual([]);
  });
});

describe('logs', () => {
  it('`logs --lines 5` reads the end of a 600 MB log, not the whole file', async () => {
    const { logDir } = store.dirs('fine');
    await mkdir(logDir, { recursive: true });
    const log = join(logDir, 'serial.log');
    const fh = await open(log, 'w');
    await fh.truncate(600 * 2 ** 20); // sparse: 600 MB of NULs
    await fh.close();
    await appendFile(log, `\n${Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n')}\n`);
    const before = process.memoryUsage().rss;
    const r = await cli(['logs', 'fine', '--lines', '5'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`==> ${log} <==\nline 8\nline 9\nline 10\nline 11\nline 12\n`);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20);
  });

  it('a log is rotated: the previous run kept as <name>.1.log, a growing one copied aside and emptied', async () => {
    const dir = join(t.home, 'logs');
    await mkdir(dir);
    const log = join(dir, 'serial.log');
    expect(previousLog(log)).toBe(join(dir, 'serial.1.log'));
    await writeFile(log, 'first run\n');
    await rotateAtStart(log);
    expect(await readFile(join(dir, 'serial.1.log'), 'utf8')).toBe('first run\n');
    await rotateAtStart(log); // nothing to move: the kept one stays
    expect(await readFile(join(dir, 'serial.1.log'), 'utf8')).toBe('first run\n');

    // A writer that appends, as QEMU does with logappend=on, keeps writing after the truncation.
    const writer = await open(log, 'a');
    await writer.write('x'.repeat(5000));
    expect(await capLog(log, 4096)).toBe(true);
    await writer.write('after\n');
    await writer.close();
    expect((await readFile(join(dir, 'serial.1.log'), 'utf8')).length).toBe(5000);
    expect(await readFile(log, 'utf8')).toBe('after\n');
    expect(await capLog(log, 4096)).toBe(false);
    expect((await stat(log)).size).toBe(6);
  });
});
