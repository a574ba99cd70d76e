// The step beyond mapped-ram (issue 18, Deliver 1): the guest's RAM as a file in its folder
// (`memory-backend-file`, share=on — a memfd is gone when QEMU exits) and the `x-ignore-shared`
// migration capability, so a save writes only the devices' state and a restore maps the same
// file. Measured here with QEMU alone (the command `guestbay cmdline` prints, with the RAM file
// added), against the same `dd` floor as bench/save-restore-2g.bench.ts, and with what the file
// costs: a save is safe from a power cut only once the RAM file is written back (`sync`), a
// restore from the disk faults the guest's pages in as it touches them, and while the guest runs
// the kernel writes its dirtied RAM to the disk (QEMU's write_bytes in /proc/PID/io, which counts
// pages when they are dirtied, mmap included).
import { execa, type ResultPromise } from 'execa';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'vitest';
import { QmpClient } from '../src/main/qemu/qmp';
import { ROOT } from '../test/helpers/cli';
import { guestWorld } from '../test/helpers/guests';
import { median, ms, until } from './stats';

it('ignore-shared', async () => {
  const RUNS = Number(process.env.BENCH_RUNS ?? 3);
  const FILL_MIB = Number(process.env.BENCH_FILL_MIB ?? 1536);
  const w = await guestWorld('gb-bench-xis-');
  let qemu: ResultPromise | undefined;
  try {
    const dir = w.store.dirs('big').dir;
    const ramFile = join(dir, 'memory.ram');
    const state = join(dir, 'devices.state');
    await w.create('big', { memoryMiB: 2048, append: `gb.mem=${FILL_MIB}`, extraArgs: ['-object', `memory-backend-file,id=ramfile,mem-path=${ramFile},size=2048M,share=on`, '-machine', 'memory-backend=ramfile'] });
    const caps = await w.probe();
    if (!caps.qemu?.fileMigration) console.log('(this QEMU has no file: migration: exec:cat)');
    const gb = (args: string[]) => execa(process.execPath, [join(ROOT, 'bin/guestbay.mjs'), ...args], { env: w.env, stdin: 'ignore' });
    const pasted = (await gb(['cmdline', 'big', '--headless'])).stdout;
    const qmpPath = /-qmp '?unix:([^,' ]+)/.exec(pasted)?.[1];
    if (!qmpPath) throw new Error(`no QMP socket in the printed command:\n${pasted}`);
    const serialLog = /logfile=([^,' ]+)/.exec(pasted)?.[1] ?? '';
    const uri = (out: boolean) => (caps.qemu?.fileMigration ? `file:${state}` : out ? `exec:cat > ${state}` : `exec:cat ${state}`);
    const launch = async (extra: string) => {
      // The printed command ends its QEMU line inside a subshell: extra arguments go before its `)`.
      const script = extra ? pasted.replace(/\n\)\s*$/, ` \\\n  ${extra}\n)`) : pasted;
      const child = execa('bash', ['-c', script], { env: w.env, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', reject: false });
      qemu = child;
      const ended = child.then((r) => { throw new Error(`QEMU ended before its monitor answered: ${r.stderr}`); });
      return Promise.race([QmpClient.connect(qmpPath, { timeoutMs: 60_000, retryForMs: 60_000, retryIntervalMs: 2 }), ended]);
    };
    const done = async (q: QmpClient) => {
      for (;;) {
        const m = await q.execute<{ status?: string; 'error-desc'?: string }>('query-migrate', undefined, { timeoutMs: 600_000 });
        if (m.status === 'completed') return;
        if (m.status === 'failed') throw new Error(m['error-desc']);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const ignoreShared = (q: QmpClient) => q.execute('migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] });
    const quit = async (q: QmpClient) => {
      await q.execute('quit').catch(() => {});
      await qemu;
    };
    const uncache = async (file: string) => {
      await execa('sync', [file]);
      await execa('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
    };
    const writeBytes = async (pid: number) => Number(/write_bytes: (\d+)/.exec(await readFile(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);

    let q = await launch('');
    await until(async () => /GB:MEM-(FILLED|ERROR)/.test(await readFile(serialLog, 'utf8').catch(() => '')), 20 * 60_000, 500);
    if (!(await readFile(serialLog, 'utf8')).includes(`GB:MEM-FILLED ${FILL_MIB}`)) throw new Error('the guest did not fill its memory');
    // What the kernel must write back while an idle guest runs for 20 s (the test guest writes a
    // heartbeat line each second; a desktop guest dirties far more).
    const pidFile = /-pidfile '?([^' ]+)/.exec(pasted)?.[1];
    if (!pidFile) throw new Error('no -pidfile in the printed command');
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    const w0 = await writeBytes(pid);
    await new Promise((r) => setTimeout(r, 20_000));
    const idleDirtied = (await writeBytes(pid)) - w0;

    const save: number[] = [];
    const saveSynced: number[] = [];
    const restore: number[] = [];
    const restoreCold: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const cold of [false, true]) {
        let t0 = performance.now();
        await q.execute('stop');
        await ignoreShared(q);
        await q.execute('migrate-set-parameters', { 'max-bandwidth': Number.MAX_SAFE_INTEGER });
        await q.execute('migrate', { uri: uri(true) });
        await done(q);
        await quit(q);
        (cold ? saveSynced : save).push(performance.now() - t0);
        if (cold) {
          // Safe from a power cut only once the RAM file is on the disk: counted in this save.
          await uncache(ramFile);
          saveSynced[saveSynced.length - 1] = performance.now() - t0;
          await uncache(state);
        }
        t0 = performance.now();
        q = await launch('-incoming defer');
        await ignoreShared(q);
        await q.execute('migrate-incoming', { uri: uri(false) });
        await done(q);
        await q.execute('cont');
        (cold ? restoreCold : restore).push(performance.now() - t0);
      }
    }
    const stateBytes = (await stat(state)).size;
    await quit(q);

    // The floor, as in save-restore-2g: dd writing and reading as many bytes as the guest holds.
    const ddWrite: number[] = [];
    const ddRead: number[] = [];
    const f = join(dir, 'dd-floor.bin');
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      await execa('dd', ['if=/dev/zero', `of=${f}`, 'bs=1M', `count=${FILL_MIB}`], { stdio: 'ignore' });
      ddWrite.push(performance.now() - t0);
      await uncache(f);
      t0 = performance.now();
      await execa('dd', [`if=${f}`, 'of=/dev/null', 'bs=1M'], { stdio: 'ignore' });
      ddRead.push(performance.now() - t0);
      await rm(f, { force: true });
    }
    const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
    console.log(`2 GiB guest holding ${FILL_MIB} MiB, RAM in a file + x-ignore-shared (median of ${RUNS}, QEMU ${caps.qemu?.version}); device state ${(stateBytes / 2 ** 20).toFixed(1)} MiB:`);
    console.log(`  save (RAM left in the page cache)   ${ms(median(save))}   ${(median(save) / median(ddWrite)).toFixed(2)}× dd write ${ms(median(ddWrite))}   (runs: ${runs(save)})`);
    console.log(`  save + RAM file synced              ${ms(median(saveSynced))}   ${(median(saveSynced) / median(ddWrite)).toFixed(2)}× dd write   (runs: ${runs(saveSynced)})`);
    console.log(`  restore, RAM file in the page cache ${ms(median(restore))}   (runs: ${runs(restore)})`);
    console.log(`  restore, RAM file on the disk       ${ms(median(restoreCold))}   ${(median(restoreCold) / median(ddRead)).toFixed(2)}× dd read from the disk ${ms(median(ddRead))} (pages fault in later, as the guest touches them)   (runs: ${runs(restoreCold)})`);
    console.log(`  while running: ${(idleDirtied / 2 ** 20).toFixed(1)} MiB of RAM dirtied in 20 s of an idle guest, for the kernel to write to the disk`);
  } finally {
    qemu?.kill('SIGKILL');
    await w.cleanup();
  }
}, 40 * 60_000);
