// A start owns everything it talks to (issue 12, items 1 and 2), against real QEMU and the real
// `guestbay` command: interrupted at each stage (after each sidecar, after QEMU's spawn, before
// the runtime record) it leaves no process and no socket; killed outright, the next start ends
// what it left and talks only to what it spawned itself; no signal reaches a process whose
// identity does not match its record; the runtime folder must be the user's alone.
import { chmod, chown, lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseVmConfig } from '../../../src/shared/migrations';
import { readRecord, writeRecord, type RuntimeRecord } from '../../../src/main/vm/runtime-files';
import { ROOT } from '../../helpers/cli';
import { guestWorld } from '../../helpers/guests';
import { alive as isAlive, identityOf as identify, procsUsing as processesUsing, strangers } from '../../helpers/procs';

type ProcessIdentity = ReturnType<typeof identify>;

let w: Awaited<ReturnType<typeof guestWorld>>;
const strays: ResultPromise[] = [];
beforeAll(async () => {
  w = await guestWorld('gb-own-');
});
afterEach(() => {
  for (const p of strays.splice(0)) p.kill('SIGKILL');
});
afterAll(() => w.cleanup());

const poll = { timeout: 90_000, interval: 100 };

function gb(args: string[], env: NodeJS.ProcessEnv = w.env) {
  return execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), ...args], { env, reject: false, all: true });
}

/** Every file under a folder, relative to it (sockets, pidfiles, run folders, records). */
async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    out.push(prefix + e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(join(dir, e.name), `${prefix}${e.name}/`)));
  }
  return out;
}

/** An unrelated process of ours, as a reused pid would be. */
function stranger(): { proc: ResultPromise; id: ProcessIdentity } {
  const proc = execa('sleep', ['600'], { reject: false, detached: true });
  strays.push(proc);
  return { proc, id: identify(proc.pid!)! };
}

/** A runtime record as a start writes it, naming whatever processes the test says. */
async function plantRecord(name: string, r: Pick<RuntimeRecord, 'qemuPid' | 'qemu' | 'sidecars'>) {
  const dirs = w.store.dirs(name);
  const runDir = join(dirs.runtimeDir, 'run-0badf00d');
  await mkdir(runDir, { recursive: true, mode: 0o700 });
  await chmod(dirs.runtimeDir, 0o700);
  const runtime = {
    qmpSocket: join(runDir, 'qmp.sock'),
    qmpCtlSocket: join(runDir, 'qmp-ctl.sock'),
    pidFile: join(runDir, 'qemu.pid'),
    serialSocket: join(runDir, 'serial.sock'),
    serialLog: join(dirs.logDir, 'serial.log'),
    qemuLog: join(dirs.logDir, 'qemu.log'),
  };
  const plan = { binary: 'qemu-system-x86_64', args: [], sidecars: [], prepare: [], warnings: [], accel: 'tcg', runtime, cpu: 'max', writableFiles: [], argsDigest: '', savable: { ok: true } };
  await writeRecord(dirs.runtimeDir, { plan: plan as unknown as RuntimeRecord['plan'], runDir, startedAt: new Date().toISOString(), ...r });
}

describe('no signal reaches a process whose identity does not match its record', () => {
  it('a record naming an unrelated live process (its pid, another start time) as QEMU or sidecar: status, stop and start leave it alone', async () => {
    await w.create('victim');
    const { id } = stranger();
    const reused = (d: number): ProcessIdentity => ({ ...id, startTicks: id.startTicks + d });
    const plant = () =>
      plantRecord('victim', {
        qemuPid: id.pid,
        qemu: reused(1),
        sidecars: [
          { id: 'virtiofsd-share', pid: id.pid, identity: reused(-1) },
          { id: 'swtpm', pid: id.pid, identity: { ...id, exe: '/usr/bin/swtpm' } },
          // A record from before identities were kept: a pid and nothing to check it against.
          { id: 'virtiofsd-old', pid: id.pid },
        ],
      });
    const sup = w.supervisor();
    await plant();
    expect((await sup.status('victim')).state).toBe('stopped');
    await plant();
    expect((await sup.stop('victim', { force: true })).state).toBe('stopped');
    await plant();
    expect((await gb(['status'])).exitCode).toBe(0);
    // An old record whose QEMU pid is the stranger: not QEMU with that -pidfile, so not running either.
    await plant();
    await writeRecord(w.store.dirs('victim').runtimeDir, { ...(await readRecord(w.store.dirs('victim').runtimeDir))!, qemu: undefined });
    expect((await sup.status('victim')).state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 300));
    expect(isAlive(id.pid)).toBe(true);
  });

  it('a recorded sidecar that still is the process its record names is ended once its QEMU is gone', async () => {
    const { id } = stranger();
    const done = execa('true');
    await done;
    const deadQemu: ProcessIdentity = { ...id, pid: done.pid!, exe: '/usr/bin/qemu-system-x86_64' };
    await plantRecord('victim', { qemuPid: deadQemu.pid, qemu: deadQemu, sidecars: [{ id: 'virtiofsd-share', pid: id.pid, identity: id }] });
    expect((await w.supervisor().status('victim')).state).not.toBe('running');
    await expect.poll(() => isAlive(id.pid), poll).toBe(false);
    expect(await readRecord(w.store.dirs('victim').runtimeDir)).toBeNull();
  });

  it('refuses a runtime folder that is not the user\'s own with mode 0700 (the $TMPDIR/guestbay-<uid> fallback)', async () => {
    const tmp = join(w.home, 'tmp');
    await mkdir(tmp, { recursive: true });
    const env: NodeJS.ProcessEnv = { ...w.env, TMPDIR: tmp };
    delete env.XDG_RUNTIME_DIR;
    const root = join(tmp, `guestbay-${process.getuid!()}`);
    // None yet: made with mode 0700 when needed, and used.
    expect((await gb(['status'], env)).exitCode).toBe(0);

    const { id } = stranger();
    const plantIn = async () => {
      await mkdir(join(root, 'victim'), { recursive: true, mode: 0o700 });
      await writeFile(join(root, 'victim', 'guest.json'), JSON.stringify({ plan: { runtime: { pidFile: '/x' } }, qemuPid: 1, sidecars: [{ id: 'virtiofsd-share', pid: id.pid, identity: id }] }));
    };
    await plantIn();
    await chmod(root, 0o777);
    let r = await gb(['status'], env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/the runtime folder .*guestbay-\d+ can be used by others \(mode 0777\).*yours alone/);
    expect((await gb(['start', 'victim', '--headless'], env)).stderr).toMatch(/can be used by others/);

    if (process.getuid!() === 0) {
      // Planted by another user (root can make one here to show it).
      await chmod(root, 0o700);
      await chown(root, 65534, 65534);
      r = await gb(['status'], env);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/belongs to another user \(uid 65534\)/);
      await chown(root, 0, 0);
    }
    await execa('rm', ['-rf', root]);
    await mkdir(join(tmp, 'elsewhere'), { mode: 0o700 });
    await symlink(join(tmp, 'elsewhere'), root);
    r = await gb(['status'], env);
    expect(r.stderr).toMatch(/is a symbolic link/);
    expect(isAlive(id.pid)).toBe(true);
    expect((await lstat(root)).isSymbolicLink()).toBe(true);
  });
});

describe('an interrupted start leaves no process and no socket; the next start talks only to what it spawned', () => {
  const name = 'halfway';
  let runtimeDir: string;

  beforeAll(async () => {
    await w.create(name, { share: true });
    runtimeDir = w.store.dirs(name).runtimeDir;
  });

  /** `guestbay start` stopped at a stage by the test hook; resolves once it says it is there. */
  async function startPausedAt(stage: string) {
    const proc = gb(['start', name, '--headless'], { ...w.env, GUESTBAY_TEST_PAUSE_AT: stage });
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await expect.poll(() => err, poll).toContain(`paused at ${stage}`);
    return { proc }; // not the promise itself: an async function would wait for it
  }

  for (const [stage, signal] of [
    [`after-sidecar:virtiofsd-share-${name}`, 'SIGINT'],
    ['after-qemu-spawn', 'SIGTERM'],
    ['before-record', 'SIGINT'],
  ] as const) {
    it(`${signal} at ${stage}`, async () => {
      const { proc } = await startPausedAt(stage);
      const spawned = processesUsing(runtimeDir);
      const qemus = spawned.filter((p) => /qemu-system/.test(p.exe));
      expect(spawned.length).toBeGreaterThan(qemus.length);
      expect(qemus).toHaveLength(stage.startsWith('after-sidecar') ? 0 : 1);
      proc.kill(signal);
      const r = await proc;
      expect(r.exitCode).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(r.stderr).toMatch(/start of "halfway" was interrupted \(SIG(INT|TERM)\); everything it had started was ended/);
      expect(processesUsing(runtimeDir)).toEqual([]);
      for (const p of spawned) expect(isAlive(p.pid)).toBe(false);
      expect(await filesUnder(runtimeDir)).toEqual([]);
      expect((await w.supervisor().status(name)).state).toBe('stopped');
    });
  }

  it('an exception at a stage undoes the same way', async () => {
    const r = await gb(['start', name, '--headless'], { ...w.env, GUESTBAY_TEST_FAIL_AT: 'before-record' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/test hook: failing at before-record/);
    expect(processesUsing(runtimeDir)).toEqual([]);
    expect(await filesUnder(runtimeDir)).toEqual([]);
  });

  it('killed outright after QEMU\'s spawn (nothing can catch SIGKILL), with the share changed: the next start ends the leftovers and serves the new folder', async () => {
    const { proc } = await startPausedAt('after-qemu-spawn');
    const orphans = processesUsing(runtimeDir);
    expect(orphans.filter((p) => /qemu-system/.test(p.exe))).toHaveLength(1);
    expect(orphans.filter((p) => /virtiofsd/.test(p.exe)).length).toBeGreaterThan(0);
    proc.kill('SIGKILL');
    await proc;
    expect(orphans.every((p) => isAlive(p.pid))).toBe(true);

    // The reproduction: the guest now shares another folder.
    const other = join(w.home, 'other-share');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'hello.txt'), 'hello from the new folder\n');
    const config = await w.store.get(name);
    await w.store.update(parseVmConfig({ ...config, sharedFolders: [{ ...config.sharedFolders[0]!, hostPath: other }] }));

    const r = await gb(['start', name, '--headless']);
    expect(r.exitCode, r.all).toBe(0);
    for (const p of orphans) expect(isAlive(p.pid)).toBe(false);
    const record = (await readRecord(runtimeDir))!;
    // Only what this start spawned uses the runtime folder: its QEMU and its virtiofsd (and
    // what they forked themselves).
    expect(strangers(processesUsing(runtimeDir), [record.qemuPid, ...record.sidecars.map((s) => s.pid)])).toEqual([]);
    expect(processesUsing(runtimeDir).map((p) => p.pid)).toContain(record.qemuPid);
    expect(await filesUnder(runtimeDir)).toEqual(expect.arrayContaining(['guest.json', expect.stringMatching(/^run-[0-9a-f]{8}\/qmp\.sock$/)]));
    expect(r.stdout).toContain(`(pid ${record.qemuPid},`);
    await expect.poll(() => w.serial(name), poll).toContain('GB:SHARE-WROTE');
    expect(await w.serial(name)).toContain(`GB:SHARE-READ share-${name} hello from the new folder`);
    expect(await readFile(join(other, 'from-guest.txt'), 'utf8')).toContain('written by guest');
    expect((await w.supervisor().stop(name, { force: true })).state).toBe('stopped');
    expect(processesUsing(runtimeDir)).toEqual([]);
  });

  it('a process using the runtime folder that no record accounts for: the start is refused, and the process is not signalled', async () => {
    const dirs = w.store.dirs(name);
    await mkdir(dirs.runtimeDir, { recursive: true, mode: 0o700 });
    const squatter = execa('sh', ['-c', 'sleep 600; :', 'sh', join(dirs.runtimeDir, 'run-00000000/qmp.sock')], { reject: false, detached: true });
    strays.push(squatter);
    await expect.poll(() => processesUsing(dirs.runtimeDir).length, poll).toBe(1);
    const r = await gb(['start', name, '--headless']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`process ${squatter.pid} \\(.*\\) still uses its runtime folder .*no record says Guestbay started it.*kill ${squatter.pid}`));
    expect(isAlive(squatter.pid!)).toBe(true);
  });
});
