// A running guest under things going wrong around it (issue 12, items 3–7 and 18), with the
// tiny guest under TCG on QEMU 7.2 and 10, through the real `guestbay` command and the API.
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../src/main/api';
import { quitPlan } from '../../../src/main/desktop/quit';
import { readRecord } from '../../../src/main/vm/runtime-files';
import type { GuestStatus } from '../../../src/main/vm/supervisor';
import { parseVmConfig } from '../../../src/shared/migrations';
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
    // In the guest-state model's words, naming the guest by its title.
    expect(r.stderr).toMatch(/Linux is running: shut it down \(or force it off\) before deleting it\./);
    const api = createApi({ store: w.store, supervisor: w.supervisor(), probe: w.probe, env: w.env, validateOutputs: true });
    const reply = await api.dispatch('guests.delete', { name: 'busy' });
    expect(reply).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Linux is running: shut it down \(or force it off\) before deleting it\./) } });
    await api.dispose();
    expect((await stat(w.store.dirs('busy').configFile)).isFile()).toBe(true);
    expect(alive(record.qemuPid)).toBe(true);
  });

  it('a guest whose folder was removed by hand while it ran: status still shows it, stop --force still ends it', async () => {
    const record = (await readRecord(w.store.dirs('busy').runtimeDir))!;
    await rm(w.store.dirs('busy').dir, { recursive: true });
    expect((await gb('status')).stdout).toMatch(/busy: running/);
    const r = await gb('stop', 'busy', '--force');
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toMatch(/busy: stopped/);
    expect(alive(record.qemuPid)).toBe(false);
    // Nothing was made up where the guest's folder was.
    expect(await stat(w.store.dirs('busy').dir).catch(() => null)).toBeNull();
    expect(await readFile(join(w.store.dirs('busy').runtimeDir, 'guest.json')).catch(() => null)).toBeNull();
  });
});

describe('a running guest whose vm.json becomes damaged (item 6)', () => {
  it('stays in status, in the API\'s list and in the quit dialog\'s list, and can be stopped', async () => {
    const record = await started('broken');
    await writeFile(w.store.dirs('broken').configFile, '{ "name": "broken", this is not JSON');
    const st = await gb('status');
    expect(st.exitCode, st.all).toBe(0);
    expect(st.stdout).toMatch(new RegExp(`broken: running \\(pid ${record.qemuPid}`));
    expect(JSON.parse((await gb('status', '--json')).stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'broken', state: 'running' })]));
    expect(JSON.parse((await gb('status', 'broken', '--json')).stdout)).toMatchObject({ name: 'broken', state: 'running' });

    const sup = w.supervisor();
    const api = createApi({ store: w.store, supervisor: sup, probe: w.probe, env: w.env, validateOutputs: true });
    const list = await api.dispatch('guests.list', {});
    expect(list).toMatchObject({ ok: true });
    const entry = (list as { output: { name: string; error?: string; status?: { state: string } }[] }).output.find((g) => g.name === 'broken');
    expect(entry).toMatchObject({ error: expect.stringMatching(/damaged/), status: { state: 'running' } });
    // The quit dialog is built from attachAll.
    expect(quitPlan('shutdown', await sup.attachAll())).toEqual(expect.arrayContaining([{ name: 'broken', action: 'shutdown' }]));
    await api.dispose();

    const stop = await gb('stop', 'broken', '--force');
    expect(stop.exitCode, stop.all).toBe(0);
    expect(stop.stdout).toMatch(/broken: stopped/);
    expect(alive(record.qemuPid)).toBe(false);
    // Stopped, it is listed as damaged, as before.
    expect((await gb('status')).stdout).toMatch(/broken: stopped \(the configuration of "broken" is damaged/);
  });
});

describe('one QEMU that does not answer (item 4)', () => {
  it('stopped by SIGSTOP: status answers for every guest, the hung one "not answering" with what to do; stop --force ends it', async () => {
    await started('steady');
    const hung = await started('hung');
    process.kill(hung.qemuPid, 'SIGSTOP');
    try {
      const t0 = performance.now();
      const r = await gb('status');
      console.log(`guestbay status with one QEMU stopped: ${Math.round(performance.now() - t0)} ms`);
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).toMatch(/steady: running \(pid \d+/);
      expect(r.stdout).toMatch(new RegExp(`hung: not answering \\(pid ${hung.qemuPid}`));
      expect(r.stdout).toMatch(/stopped by a signal.*kill -CONT \d+.*guestbay stop hung --force/s);
      const one = JSON.parse((await gb('status', 'hung', '--json')).stdout);
      expect(one).toMatchObject({ name: 'hung', state: 'running', pid: hung.qemuPid, problems: [{ kind: 'not-answering', message: expect.any(String), fix: expect.any(String) }] });

      const api = createApi({ store: w.store, supervisor: w.supervisor(), probe: w.probe, env: w.env, validateOutputs: true });
      const list = (await api.dispatch('guests.list', {})) as { ok: true; output: { name: string; status?: { state: string; problems?: unknown[] } }[] };
      expect(list.output.find((g) => g.name === 'hung')?.status).toMatchObject({ problems: [{ kind: 'not-answering' }] });
      expect(list.output.find((g) => g.name === 'steady')?.status).toMatchObject({ state: 'running' });
      await api.dispose();

      // Asking it to shut down cannot work; ending it is the user's call.
      const ask = await gb('stop', 'hung');
      expect(ask.exitCode).toBe(1);
      expect(ask.stderr).toMatch(/does not answer.*--force/);
      expect(alive(hung.qemuPid)).toBe(true);
      const force = await gb('stop', 'hung', '--force');
      expect(force.exitCode, force.all).toBe(0);
      expect(force.stdout).toMatch(/hung: stopped \(QEMU did not answer and was ended/);
      expect(alive(hung.qemuPid)).toBe(false);
    } finally {
      try {
        process.kill(hung.qemuPid, 'SIGCONT');
      } catch {
        /* ended */
      }
    }
    expect((await gb('status', 'steady')).stdout).toMatch(/steady: running/);
  });

  it('both of its monitors held by other clients: not answering after a short wait, the others unaffected', async () => {
    const record = (await readRecord(w.store.dirs('steady').runtimeDir))!;
    const holders = [record.plan.runtime.qmpSocket, record.plan.runtime.qmpCtlSocket].map((p) => createConnection(p).on('error', () => {}));
    try {
      await Promise.all(holders.map((s) => new Promise((r) => s.once('data', r))));
      const r = await gb('status', 'steady');
      expect(r.exitCode, r.all).toBe(0);
      expect(r.stdout).toMatch(/steady: not answering .*does not answer on its monitor/s);
    } finally {
      for (const s of holders) s.destroy();
    }
    await expect.poll(async () => (await gb('status', 'steady')).stdout, poll).toMatch(/steady: running/);
    expect((await gb('stop', 'steady', '--force')).exitCode).toBe(0);
  });
});

describe('a sidecar that dies while its guest runs (item 7)', () => {
  it('virtiofsd and swtpm: the guest is shown degraded with the reason and what to do, in events, status and the API', async () => {
    await w.create('helped', { share: true });
    const config = await w.store.get('helped');
    await w.store.update(parseVmConfig({ ...config, tpm: { enabled: true } }));
    const sup = w.supervisor();
    const events: GuestStatus[] = [];
    sup.onEvent((e) => e.type === 'state' && e.status.name === 'helped' && events.push(e.status));
    const st = await sup.start('helped', { headless: true });
    expect(st.problems).toBeUndefined();
    const record = (await readRecord(w.store.dirs('helped').runtimeDir))!;
    const pidOf = (prefix: string) => record.sidecars.find((s) => s.id.startsWith(prefix))!.pid;
    await expect.poll(() => w.serial('helped'), poll).toContain('GB:SHARE-WROTE');

    process.kill(pidOf('virtiofsd'), 'SIGKILL');
    // Watched while attached: an event says so, without anyone asking.
    await expect.poll(() => events.at(-1)?.problems ?? [], poll).toEqual([expect.objectContaining({ kind: 'sidecar-ended', message: expect.stringMatching(/virtiofsd .*share.* has ended/) })]);
    expect(events.at(-1)).toMatchObject({ state: 'running' });
    // Found again by another process.
    const r = await gb('status', 'helped');
    expect(r.stdout).toMatch(/helped: running, degraded/);
    expect(r.stdout).toMatch(/virtiofsd .* has ended.*what to do: .*start it again/s);

    process.kill(pidOf('swtpm'), 'SIGKILL');
    await expect.poll(async () => ((await sup.status('helped')).problems ?? []).length, poll).toBe(2);
    expect((await sup.status('helped')).problems!.map((p) => p.message).join('\n')).toMatch(/swtpm .*TPM.* has ended/);
    const api = createApi({ store: w.store, supervisor: w.supervisor(), probe: w.probe, env: w.env, validateOutputs: true });
    const list = (await api.dispatch('guests.list', {})) as { ok: true; output: { name: string; status?: GuestStatus }[] };
    expect(list.output.find((g) => g.name === 'helped')?.status?.problems).toHaveLength(2);
    await api.dispose();
    expect((await sup.stop('helped', { force: true })).state).toBe('stopped');
  });
});
