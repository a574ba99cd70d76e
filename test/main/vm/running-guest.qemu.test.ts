// A running guest under things going wrong around it (issue 12, items 3–7 and 18), with the
// tiny guest under TCG on QEMU 7.2 and 10, through the real `guestbay` command and the API.
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../src/main/api';
import { readRecord } from '../../../src/main/vm/runtime-files';
import { ROOT } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';
import { alive } from '../../helpers/procs';

let w: Awaited<ReturnType<typeof guestWorld>>;
beforeAll(async () => {
  w = await guestWorld('gb-run-');
});
afterAll(() => w.cleanup());

const poll = { timeout: 90_000, interval: 100 };

function gb(...args: string[]) {
  return execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), ...args], { env: w.env, reject: false, all: true, timeout: 120_000 });
}

async function started(name: string, o: { share?: boolean } = {}) {
  await w.create(name, o);
  const r = await gb('start', name, '--headless');
  expect(r.exitCode, r.all).toBe(0);
  return (await readRecord(w.store.dirs(name).runtimeDir))!;
}

describe('deleting a running guest (item 3)', () => {
  it('is refused in one place, for the CLI and the API alike; its folder stays and it keeps running', async () => {
    const record = await started('busy');
    const r = await gb('delete', 'busy', '--yes');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/"busy" is running: stop it before deleting it/);
    const api = createApi({ store: w.store, supervisor: w.supervisor(), probe: w.probe, env: w.env, validateOutputs: true });
    const reply = await api.dispatch('guests.delete', { name: 'busy' });
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/"busy" is running: stop it before deleting it/) } });
    await api.dispose();
    expect((await stat(w.store.dirs('busy').configFile)).isFile()).toBe(true);
    expect(alive(record.qemuPid)).toBe(true);
  });

  it('a guest whose folder was removed by hand while it ran: stop --force still ends it, and says so', async () => {
    const record = (await readRecord(w.store.dirs('busy').runtimeDir))!;
    await rm(w.store.dirs('busy').dir, { recursive: true });
    const r = await gb('stop', 'busy', '--force');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/busy: stopped/);
    expect(alive(record.qemuPid)).toBe(false);
    // Nothing was made up where the guest's folder was.
    expect(await stat(w.store.dirs('busy').dir).catch(() => null)).toBeNull();
    expect(await readFile(join(w.store.dirs('busy').runtimeDir, 'guest.json')).catch(() => null)).toBeNull();
  });
});
