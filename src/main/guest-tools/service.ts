// The guest tools for one guest: which shares it has (from the running guest's plan, or the plan
// its next start would make), the disk made from them in the guest's folder, and its insertion
// as a read-only USB stick (plugged in at once on a running guest, through the editor's live
// path; at the next start otherwise). And, for the guest page, whether each share is mounted in
// the guest as its agent sees it, or the one line that mounts it.
import { join } from 'node:path';
import type { HostCaps } from '../../shared/host-caps';
import { ConfigError, type OsFamily, type VmConfig } from '../../shared/vm-config';
import { buildLaunchPlan, type LaunchPlan } from '../qemu/plan';
import { guestMounts, guestProcMounts, type GuestMount } from '../qemu/qga/commands';
import { guestbayFolder } from '../vm/app-settings';
import type { GuestEditor, EditOutcome } from '../vm/edit/editor';
import { ifAgent } from '../vm/guest-agent';
import type { Store } from '../vm/store';
import type { Supervisor } from '../vm/supervisor';
import { buildToolsDisk, TOOLS_DISK } from './disk';
import { linuxMountPoint, macosFolderName, mountCommand, SMB_SOURCE, type ToolsShare } from './shares';

export interface ToolsDeps {
  store: Store;
  supervisor: Supervisor;
  probe(): Promise<HostCaps>;
}

/** The disk's id among the guest's disks while it is inserted. */
export const TOOLS_DISK_ID = 'guesttools';

const live = (state: string) => state === 'running' || state === 'paused';

/** The running guest's plan when it runs; the one its next start would make otherwise. */
async function currentPlan(d: ToolsDeps, config: VmConfig): Promise<{ plan: LaunchPlan; running: boolean }> {
  const st = await d.supervisor.status(config.name);
  if (live(st.state)) {
    const rec = await d.supervisor.record(config.name);
    if (rec?.plan) return { plan: rec.plan, running: true };
  }
  const dirs = d.store.dirs(config.name);
  const folder = config.guestbayFolder ? (await guestbayFolder(d.store.paths)).path : undefined;
  const plan = buildLaunchPlan(config, await d.probe(), { vmDir: dirs.dir, runtimeDir: dirs.runtimeDir, logDir: dirs.logDir, guestbayFolder: folder });
  return { plan, running: false };
}

function sharesOf(plan: LaunchPlan, config: VmConfig): ToolsShare[] {
  return (plan.shares ?? plan.config?.sharedFolders ?? config.sharedFolders).map((s) => ({ tag: s.tag, method: s.method }));
}

/** The family whose commands a guest gets: "other" guests are treated as Linux. */
const familyOf = (c: VmConfig): Exclude<OsFamily, 'other'> => (c.os.family === 'other' ? 'linux' : c.os.family);

/** Makes (again) the guest's tools disk in its folder; returns its path and files. */
export async function makeToolsDisk(d: ToolsDeps, name: string, o: { mtoolsDir?: string } = {}): Promise<{ path: string; files: string[]; shares: ToolsShare[] }> {
  const config = await d.store.get(name);
  const { plan } = await currentPlan(d, config);
  const shares = sharesOf(plan, config);
  const path = join(d.store.dirs(name).dir, TOOLS_DISK);
  const files = await buildToolsDisk({ guest: config.name, family: config.os.family, shares, out: path, mtoolsDir: o.mtoolsDir });
  return { path, files, shares };
}

/**
 * Makes the disk and inserts it as a read-only USB stick: a stick already in is pulled out
 * first (so the guest sees the new disk, not the old one it had open), then the new one goes in.
 */
export async function insertToolsDisk(d: ToolsDeps & { editor: GuestEditor }, name: string, o: { mtoolsDir?: string } = {}): Promise<{ path: string; files: string[]; outcome: EditOutcome }> {
  const config = await d.store.get(name);
  if (config.usb.controller === 'none') {
    throw new ConfigError([{ field: 'usb.controller', message: 'This guest has no USB controller, and the guest tools disk goes in as a USB stick: set one (xhci) in the settings first.' }]);
  }
  if (config.disks.some((x) => x.id === TOOLS_DISK_ID)) {
    await d.editor.edit(name, {}, (c) => ({ ...c, disks: c.disks.filter((x) => x.id !== TOOLS_DISK_ID), bootOrder: c.bootOrder?.filter((b) => b !== `disk:${TOOLS_DISK_ID}`) }));
  }
  const made = await makeToolsDisk(d, name, o);
  const outcome = await d.editor.edit(name, {}, (c) => ({
    ...c,
    disks: [...c.disks, { id: TOOLS_DISK_ID, path: TOOLS_DISK, format: 'raw', bus: 'usb', cache: 'writeback', aio: 'threads', discard: false, readOnly: true }],
  }));
  return { path: made.path, files: made.files, outcome };
}

export interface ShareMountStatus {
  tag: string;
  method: ToolsShare['method'];
  /** Mounted in the guest (its agent says so); null when no agent answers, so nobody can tell. */
  mounted: boolean | null;
  /** Where the guest has it mounted, when it does (a drive's root on Windows). */
  mountpoint: string | null;
  /** Where the guest tools mount it. */
  target: string;
  /** The one line that mounts it now, for this guest's OS. */
  command: string;
}

/** Whether a mount the guest reports is this share. */
export function isShareMount(s: ToolsShare, m: GuestMount): boolean {
  const type = m.type.toLowerCase();
  switch (s.method) {
    case 'virtiofs':
      // Linux: the tag is the source; Windows' VirtIO-FS drive is a drive letter named by its file system alone.
      return /^virtio-?fs$/.test(type) && (m.name === s.tag || /^[A-Za-z]:\\?$/.test(m.mountpoint));
    case '9p':
      return type === '9p' && m.name === s.tag;
    case 'smb':
      return (type === 'cifs' || type === 'smb3' || type === 'smbfs') && m.name.replace(/^\/\/[^@/]*@/, '//').toLowerCase() === SMB_SOURCE;
  }
}

/** The guest's mounts, as its agent reports them: the mount table on Linux, the volumes elsewhere; null without an agent. */
async function agentMountList(plan: LaunchPlan, client: Awaited<ReturnType<Supervisor['monitor']>>): Promise<GuestMount[] | null> {
  const r = await ifAgent({ plan, client }, async (q) => {
    const table = await guestProcMounts(q).catch(() => null);
    if (table) return table;
    return guestMounts(q);
  }).catch(() => undefined);
  return r ?? null;
}

export async function sharedFolderStatus(d: ToolsDeps, name: string): Promise<{ running: boolean; agent: boolean; family: OsFamily; shares: ShareMountStatus[] }> {
  const config = await d.store.get(name);
  const { plan, running } = await currentPlan(d, config);
  const family = familyOf(config);
  const mounts = running ? await agentMountList(plan, await d.supervisor.monitor(name)) : null;
  const shares = sharesOf(plan, config).map((s): ShareMountStatus => {
    const found = mounts?.find((m) => isShareMount(s, m));
    return {
      tag: s.tag,
      method: s.method,
      mounted: mounts ? Boolean(found) : null,
      mountpoint: found?.mountpoint ?? null,
      target: family === 'windows' ? (s.method === 'smb' ? 'G:' : 'a drive letter (Z: unless taken)') : family === 'macos' ? `~/${macosFolderName(s.tag)}` : linuxMountPoint(s.tag),
      command: mountCommand(family, s),
    };
  });
  return { running, agent: mounts !== null, family: config.os.family, shares };
}
