// The CLI's commands over the same services the app uses (store, probe, launch plan, supervisor):
// one file per command here, their usage lines in the order `guestbay help` prints them.
import { SOURCE_USAGE } from '../macos/sources';
import type { Command } from '../common';
import { base, clone } from './clone';
import { cmdline } from './cmdline';
import { create } from './create';
import { del } from './delete';
import { edit } from './edit';
import { media } from './media';
import { pending } from './pending';
import { rename } from './rename';
import { set, setHelp } from './set';
import { usb } from './usb';
import { LOOKING_GLASS_USAGE, lookingGlass } from './looking-glass';
import { SINGLE_GPU_USAGE, singleGpu } from './single-gpu';
import { vfio, VFIO_USAGE } from './vfio';
import { disk, DISK_USAGE } from './disk';
import { EXPORT_USAGE, exportCmd } from './export';
import { IMPORT_USAGE, importCmd } from './import';
import { iommu } from './iommu';
import { list } from './list';
import { look, LOOK_USAGE } from './look';
import { logs } from './logs';
import { macos } from './macos';
import { presets } from './presets';
import { probe } from './probe';
import { restore } from './restore';
import { screenshotCmd } from './screenshot';
import { serveCmd } from './serve';
import { show } from './show';
import { snapshot } from './snapshot';
import { pause, reset, resume, save } from './simple';
import { start } from './start';
import { status } from './status';
import { stop } from './stop';
import { switchCmd } from './switch';

export { makeEnv, type Env } from '../common';

/** `help`: what `guestbay CMD --help` prints beyond the usage line (the keys of `set`…). */
export const COMMANDS: Record<string, { run: Command; usage: string; help?: () => string }> = {
  probe: { run: probe, usage: 'probe [--json] [--no-cache]            what this host can run, and how to fix what is missing' },
  presets: { run: presets, usage: 'presets [--json]                       the presets create accepts' },
  create: {
    run: create,
    usage:
      'create --preset P --name N [--disk-size 64G] [--iso F] [--drivers F] [--kernel F --initrd F --append S] [--share DIR]… [--memory 8G] [--cores N] [--threads 1|2] [--firmware bios|uefi|uefi-secure] [--tpm|--no-tpm] [--nic M] [--net user|bridge|none] [--bridge br0] [--forward tcp:2222:22]… [--display D] [--sound S] [--usb VENDOR:PRODUCT]… [--disk-bus B] [--share-method M] [--autostart] [--json]',
  },
  list: { run: list, usage: 'list [--json]' },
  show: { run: show, usage: 'show N [--json]' },
  set: {
    run: set,
    usage: 'set N key=value… [--json]              change settings: memory=8G cores=4 nic=e1000e forward+=tcp:2222:22 media=~/x.iso title="My VM" (set --help: every key)',
    help: setHelp,
  },
  edit: { run: edit, usage: 'edit N [--json]                        the config in $VISUAL/$EDITOR, checked; reopened with the reasons when refused' },
  media: { run: media, usage: 'media N [insert FILE | eject [--force]] [--drive ID] [--json]   discs in CD/DVD drives (at once on a running guest)' },
  rename: { run: rename, usage: 'rename OLD NEW [--json]                the guest\'s folder moves with it; not while it runs or is saved' },
  pending: { run: pending, usage: 'pending N [--json]                     what a running guest gets at its next start: the command before and after' },
  iommu: { run: iommu, usage: 'iommu [--json]                         IOMMU groups, and which GPU, audio and USB controller can go to a guest' },
  vfio: { run: vfio, usage: VFIO_USAGE },
  'single-gpu': { run: singleGpu, usage: SINGLE_GPU_USAGE },
  'looking-glass': { run: lookingGlass, usage: LOOKING_GLASS_USAGE },
  usb: { run: usb, usage: 'usb [--json]                           USB devices plugged into this host, for set usb+=VENDOR:PRODUCT' },
  cmdline: { run: cmdline, usage: 'cmdline N [--accel tcg|kvm] [--headless] [--paused] [--json]   the exact command, ready to paste' },
  delete: { run: del, usage: 'delete N --yes [--delete-disks]        disk images are kept unless --delete-disks' },
  start: { run: start, usage: 'start N [--accel tcg|kvm] [--headless] [--paused] [--fresh] [--wait]   a saved guest is restored unless --fresh' },
  stop: { run: stop, usage: 'stop N [--force] [--timeout S]          ACPI power-down, then quit after S seconds (default 60)' },
  pause: { run: pause, usage: 'pause N' },
  resume: { run: resume, usage: 'resume N' },
  reset: { run: reset, usage: 'reset N                                hard reset, like the reset button' },
  save: { run: save, usage: 'save N                                 write the whole running guest to a file and end it' },
  restore: { run: restore, usage: 'restore N [--headless]                 continue a saved guest where it was' },
  switch: { run: switchCmd, usage: 'switch N [--headless]                  save or stop what holds N\'s devices or memory, then run N' },
  status: { run: status, usage: 'status [N] [--json]' },
  screenshot: { run: screenshotCmd, usage: 'screenshot N FILE.png                   the guest\'s screen as PNG' },
  serve: { run: serveCmd, usage: `serve [--port N] ${SOURCE_USAGE}   the app in a browser, on 127.0.0.1 with a per-run token` },
  logs: { run: logs, usage: 'logs N [--lines K]                     QEMU, sidecar and serial logs' },
  disk: { run: disk, usage: DISK_USAGE },
  clone: { run: clone, usage: 'clone SRC NEW [--linked] [--title T]   a copy of a stopped guest; --linked: copy-on-write over SRC, which becomes a read-only base' },
  snapshot: { run: snapshot, usage: 'snapshot N create|list|revert|delete [TAG] [--yes]   offline when shut down, live (memory too) when running; --yes confirms reverting a running guest' },
  look: { run: look, usage: LOOK_USAGE },
  import: { run: importCmd, usage: IMPORT_USAGE },
  export: { run: exportCmd, usage: EXPORT_USAGE },
  base: { run: base, usage: 'base N [--undo]                        make a stopped guest a read-only base for linked clones (--undo: an ordinary guest again)' },
  macos: {
    run: macos,
    usage: [
      'macos preflight --release R [--json]    what this host needs for macOS R, each finding with its fix',
      `macos prepare --release R --name N [--disk-size 80G] [--resolution 1920x1080] [--share DIR]… [--allow-tcg] ${SOURCE_USAGE} [--json]   recovery from Apple, recovery disk, OpenCore, and the guest`,
      'macos finish N                         after the install: detach the recovery disk, boot the installed disk',
      'macos download --release R --dir D [--recovery-server URL] [--recovery-key F.pem] [--json]   recovery image from Apple, verified, resumable',
    ].join('\n  guestbay '),
  },
};
