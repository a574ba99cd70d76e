// Real guests for supervisor tests: the tiny Linux guest (test/guest/) as a Guestbay guest,
// in a private HOME, started headless under whatever accelerator the probe finds.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostCaps } from '../../src/shared/host-caps';
import { parseVmConfig } from '../../src/shared/migrations';
import { probeHost } from '../../src/main/host/probe';
import { createGuest } from '../../src/main/vm/create';
import { guestbayPaths } from '../../src/main/vm/paths';
import { Store } from '../../src/main/vm/store';
import { Supervisor, type SupervisorOptions } from '../../src/main/vm/supervisor';
import { ensureTestGuest } from '../guest/guest';
import { tempHome } from './cli';
import { procsUsing } from './procs';

export async function guestWorld(prefix: string) {
  const t = await tempHome(prefix);
  const store = new Store(guestbayPaths(t.env));
  let caps: Promise<HostCaps> | undefined;
  const probe = () => (caps ??= probeHost({ env: t.env }));
  const supervisors: Supervisor[] = [];
  const supervisor = (stopTimeoutMs = 30_000, more: Partial<SupervisorOptions> = {}) => {
    const s = new Supervisor({ store, probe, stopTimeoutMs, ...more });
    supervisors.push(s);
    return s;
  };
  const guest = await ensureTestGuest();

  /**
   * A tiny guest: 64 MiB virtio disk, user networking, optional share with hello.txt (virtiofs;
   * `smb`: over QEMU's user-net SMB, and the guest sends an SMB negotiate to it at boot);
   * `append`: more of the guest's switches (`gb.qga` starts its agent, `gb.noacpi` ignores the power button).
   */
  async function create(name: string, o: { share?: boolean; smb?: boolean; usb?: { vendorId: string; productId: string }[]; memoryMiB?: number; extraArgs?: string[]; append?: string; guestbayFolder?: boolean; memoryFile?: boolean } = {}) {
    const share = join(t.home, `share-${name}`);
    if (o.share) {
      await mkdir(share, { recursive: true });
      await writeFile(join(share, 'hello.txt'), `hello from the host to ${name}\n`);
    }
    await createGuest(store, {
      preset: 'linux',
      name,
      diskSize: '64M',
      kernel: guest.kernel,
      initrd: guest.initrd,
      append: `console=ttyS0 quiet panic=-1${o.share && !o.smb ? ` gb.virtiofs=share-${name}` : ''}${o.smb ? ' gb.smb=1' : ''}${o.append ? ` ${o.append}` : ''}`,
      shares: o.share ? [share] : undefined,
      overrides: o.smb ? { shareMethod: 'smb' } : undefined,
      guestbayFolder: o.guestbayFolder,
    });
    const config = await store.get(name);
    // Small and quiet: no sound card, no display window.
    await store.update(
      parseVmConfig({
        ...config,
        cpu: { cores: 1, model: 'auto' },
        memoryMiB: o.memoryMiB ?? 256,
        audio: { device: 'none', backend: 'none' },
        usb: { controller: 'xhci', hostDevices: o.usb ?? [] },
        extraArgs: o.extraArgs ?? [],
        ...(o.memoryFile ? { memoryFile: true } : {}),
      }),
    );
    return { share, serialLog: join(store.dirs(name).logDir, 'serial.log') };
  }

  async function serial(name: string): Promise<string> {
    return readFile(join(store.dirs(name).logDir, 'serial.log'), 'utf8').catch(() => '');
  }

  /** The last uptime the guest reported on its serial console. */
  async function lastTick(name: string): Promise<number> {
    const ticks = [...(await serial(name)).matchAll(/GB:TICK (\d+(?:\.\d+)?)/g)];
    return ticks.length ? Number(ticks.at(-1)![1]) : -1;
  }

  async function cleanup() {
    for (const s of supervisors) {
      for (const st of await s.attachAll().catch(() => [])) {
        if (st.state !== 'stopped' && st.state !== 'saved' && st.state !== 'crashed') await s.stop(st.name, { force: true }).catch(() => {});
      }
      await s.detach();
    }
    // Whatever a failed test left running in this HOME (a guest nobody could stop, a stray
    // process the test started) goes with it.
    for (const p of procsUsing(t.home)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone meanwhile */
      }
    }
    await t.cleanup();
  }

  return { ...t, store, probe, supervisor, create, serial, lastTick, cleanup };
}
