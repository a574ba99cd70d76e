// `guestbay macos preflight | prepare | finish` for a terminal: the same steps as the app's
// guided flow, with progress and warnings on stderr and the result on stdout.
import type { Finding, HostCaps } from '../../../shared/host-caps';
import { UsageError, type Io } from '../output';
import type { Store } from '../../vm/store';
import type { GuestStatus } from '../../vm/supervisor';
import { finishMacInstall, type FinishResult } from '../../macos/finish';
import { MACOS_PREPARE_STEPS } from '../../../shared/contract';
import { macosPreflightFor, prepareMacGuest, type MacosSources, type PrepareMacResult } from '../../macos/prepare';
import { progressPrinter, releaseOrUsage } from './download';

export function formatFinding(f: Finding): string[] {
  const mark = f.status === 'ok' ? 'ok     ' : f.status === 'warning' ? 'WARNING' : 'MISSING';
  const lines = [`${mark} ${f.title}: ${f.detail}`];
  if (f.status !== 'ok' && f.fix) lines.push(`        fix: ${f.fix.text}${f.fix.command ? `\n        $ ${f.fix.command}` : ''}`);
  return lines;
}

/** The TCG warning is the loudest thing the command says: framed, on stderr, before the long steps. */
export function loudWarning(f: Finding): string {
  const bar = '!'.repeat(72);
  return [bar, `!! ${f.title}`, `!! ${f.detail}`, ...(f.fix ? [`!! ${f.fix.text}`] : []), bar].join('\n');
}

export async function macosPreflightCmd(io: Io, release: string | undefined, deps: { store: Store; caps: HostCaps }): Promise<Finding[]> {
  const r = releaseOrUsage(release);
  const findings = await macosPreflightFor(deps.store, deps.caps, r);
  io.out(`${r.name} ${r.version} on this host:`);
  for (const f of findings) for (const l of formatFinding(f)) io.out(l);
  return findings;
}

export interface MacosPrepareArgs {
  release?: string;
  name?: string;
  title?: string;
  diskSize?: string;
  resolution?: string;
  shares?: string[];
  allowTcg?: boolean;
}

export function parseResolution(text: string): { width: number; height: number } {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(text.trim());
  if (!m) throw new UsageError(`--resolution is WIDTHxHEIGHT, e.g. 1920x1080, not "${text}"`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

export async function macosPrepareCmd(
  io: Io,
  args: MacosPrepareArgs,
  deps: { store: Store; caps: HostCaps; env: NodeJS.ProcessEnv; sources: MacosSources; signal?: AbortSignal; now?: () => number },
): Promise<PrepareMacResult> {
  const release = releaseOrUsage(args.release);
  if (!args.name) throw new UsageError('--name is required, e.g. --name mac');
  const printDownload = progressPrinter(io, deps.now);
  let lastStep = '';
  const result = await prepareMacGuest(
    { release: release.key, name: args.name, title: args.title, diskSize: args.diskSize, resolution: args.resolution ? parseResolution(args.resolution) : undefined, shares: args.shares, allowTcg: args.allowTcg },
    {
      store: deps.store,
      caps: deps.caps,
      env: deps.env,
      sources: deps.sources,
      signal: deps.signal,
      onProgress: (p) => {
        for (const w of p.warnings ?? []) io.err(w.id === 'macos-kvm' ? loudWarning(w) : formatFinding(w).join('\n'));
        if (p.step !== lastStep) {
          lastStep = p.step;
          const n = MACOS_PREPARE_STEPS.findIndex((s) => s.step === p.step) + 1;
          io.err(`[${n}/${MACOS_PREPARE_STEPS.length}] ${p.message}…`);
        }
        if (p.step === 'recovery' && p.download) printDownload(p.download);
      },
    },
  );
  return result;
}

export function describePrepared(io: Io, r: PrepareMacResult, dir: string): void {
  const c = r.config;
  io.out(`Created "${c.name}" (${c.title}) in ${dir}`);
  io.out(`  boot disk:     OpenCore.qcow2 (Mac identity ${c.macos?.model}, serial ${c.macos?.serial})`);
  io.out('  recovery disk: Recovery.img (Apple\'s signed recovery image, checked again by OpenCore)');
  io.out(`  system disk:   ${c.disks[0]?.path} (${c.disks[0]?.size ?? 'existing'})`);
  io.out('Next:');
  io.out(`  guestbay start ${c.name}`);
  io.out('  In OpenCore\'s picker choose the entry ending in "(dmg)" or "macOS Base System"; in Disk Utility');
  io.out('  (View → Show All Devices) erase the QEMU disk as APFS (GUID Partition Map), then Reinstall macOS.');
  io.out('  At each reboot pick "macOS Installer" until it names your disk, then your disk. After the setup');
  io.out(`  assistant, shut macOS down and run: guestbay macos finish ${c.name}`);
}

export async function macosFinishCmd(io: Io, name: string | undefined, deps: { store: Store; status: (name: string) => Promise<GuestStatus> }): Promise<FinishResult> {
  if (!name) throw new UsageError('name the guest, e.g. `guestbay macos finish mac`');
  const r = await finishMacInstall(deps.store, name, deps.status);
  for (const l of r.done) io.out(l);
  return r;
}
