// Issue 12 item 21: QEMU runs under its seccomp sandbox, as strict as the guest's features
// allow. The SMB share is the feature that needs the most (QEMU starts smbd, which changes
// ids): a guest sends an SMB negotiate at boot and smbd must answer, with QEMU still running
// under the filter; the same guest under `spawn=deny` gets no answer, which shows the test
// really goes through QEMU's spawning. (Tried while writing this: with elevateprivileges=deny
// QEMU lives but smbd dies and the guest gets no reply, so SMB guests allow it.) (Presets, virtiofsd and swtpm guests, and save/restore
// through `exec:` on 7.2 and `file:` on 10 run under the sandbox in the other qemu tests.)
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecord } from '../../../src/main/vm/runtime-files';
import { guestWorld } from '../../helpers/guests';

let w: Awaited<ReturnType<typeof guestWorld>>;
beforeAll(async () => {
  w = await guestWorld('gb-sandbox-');
});
afterAll(() => w.cleanup());

const poll = { timeout: 90_000, interval: 200 };

/** The running QEMU's own view: its command line and whether the kernel filters its syscalls. */
async function qemuProcess(name: string) {
  const pid = (await readRecord(w.store.dirs(name).runtimeDir))!.qemuPid;
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return { args, seccomp: /^Seccomp:\s*(\d)/m.exec(status)?.[1], noNewPrivs: /^NoNewPrivs:\s*(\d)/m.exec(status)?.[1] };
}

describe('QEMU under its seccomp sandbox', () => {
  it('serves an SMB share: smbd is started for the guest and answers, QEMU keeps running filtered', async () => {
    const caps = await w.probe();
    expect(caps.qemu!.sandboxOptions).toEqual(['elevateprivileges', 'enable', 'obsolete', 'resourcecontrol', 'spawn']);
    const sup = w.supervisor();
    await w.create('smb', { share: true, smb: true });
    await sup.start('smb', { headless: true });
    const q = await qemuProcess('smb');
    expect(q.args[q.args.indexOf('-sandbox') + 1]).toBe('on,obsolete=deny,elevateprivileges=allow,spawn=allow,resourcecontrol=deny');
    expect(q.seccomp).toBe('2'); // SECCOMP_MODE_FILTER
    expect(q.noNewPrivs).toBe('1');
    await expect.poll(() => w.serial('smb'), poll).toMatch(/GB:SMB-(REPLY|ERROR)/);
    expect(await w.serial('smb')).toMatch(/GB:SMB-REPLY (fe|ff)534d42/);
    expect((await sup.status('smb')).state).toBe('running');
    await sup.stop('smb', { force: true });
  });

  it('the same guest with spawning denied gets no SMB server: QEMU 7.2 is killed by the filter, 10 fails the spawn', async () => {
    const sup = w.supervisor();
    // A second, stricter filter from the guest's extra arguments: the kernel applies both.
    await w.create('smb-deny', { share: true, smb: true, extraArgs: ['-sandbox', 'on,spawn=deny'] });
    await sup.start('smb-deny', { headless: true });
    const ended = async () => (await sup.status('smb-deny')).state === 'crashed' || /GB:SMB-(REPLY|ERROR)/.test(await w.serial('smb-deny'));
    await expect.poll(ended, poll).toBe(true);
    expect(await w.serial('smb-deny')).not.toMatch(/GB:SMB-REPLY/);
    const st = await sup.status('smb-deny');
    // As seen here: 7.2 is killed by the filter (SIGSYS) when it starts smbd; 10 survives the
    // refused spawn and carries on without smbd.
    if (st.state === 'crashed') expect(st.detail).toBe('QEMU killed by SIGSYS');
    else expect(await w.serial('smb-deny')).toContain('GB:SMB-ERROR no-reply');
    if (st.state !== 'crashed') await sup.stop('smb-deny', { force: true });
  });

  it('a guest with nothing to start gets spawn=deny where QEMU saves to file: (8.2+), allow where it needs exec:', async () => {
    const caps = await w.probe();
    const sup = w.supervisor();
    await w.create('plain');
    await sup.start('plain', { headless: true });
    const q = await qemuProcess('plain');
    expect(q.args[q.args.indexOf('-sandbox') + 1]).toBe(`on,obsolete=deny,elevateprivileges=deny,spawn=${caps.qemu!.fileMigration ? 'deny' : 'allow'},resourcecontrol=deny`);
    expect(q.seccomp).toBe('2');
    await expect.poll(() => w.serial('plain'), poll).toContain('GB:READY');
    await sup.stop('plain', { force: true });
  });
});
