// The CLI's commands over the same services the app uses (store, probe, launch plan, supervisor):
// one file per command here, their usage lines in the order `guestbay help` prints them.
// Each command's module is imported only when that command runs (bundled as its own chunk,
// scripts/build-cli.mjs): `guestbay probe` loads the probe, not the supervisor, the API and
// every other command with it. The usage lines kept in command files are in usage.ts for that.
import { SOURCE_USAGE } from '../macos/sources';
import type { Command } from '../common';
import { DISK_USAGE, EXPORT_USAGE, IMPORT_USAGE, LOOK_USAGE, LOOKING_GLASS_USAGE, SINGLE_GPU_USAGE, USB_USAGE, VFIO_USAGE, WINDOWS_USAGE } from './usage';

/** A command that imports its module when it runs. */
function lazy<K extends string>(load: () => Promise<Record<K, Command>>, name: K): Command {
  return async (e, args) => (await load())[name](e, args);
}

export { makeEnv, type Env } from '../common';

/** `help`: what `guestbay CMD --help` prints beyond the usage line (the keys of `set`…). */
export const COMMANDS: Record<string, { run: Command; usage: string; help?: () => Promise<string> }> = {
  probe: { run: lazy(() => import('./probe'), 'probe'), usage: 'probe [--json] [--no-cache]            what this host can run, and how to fix what is missing' },
  presets: { run: lazy(() => import('./presets'), 'presets'), usage: 'presets [--json]                       the presets create accepts' },
  create: {
    run: lazy(() => import('./create'), 'create'),
    usage:
      'create --preset P --name N [--disk-size 64G] [--iso F] [--drivers F] [--kernel F --initrd F --append S] [--share DIR]… [--no-shared-folder|--no-guestbay-folder] [--memory 8G] [--cores N] [--threads 1|2] [--firmware bios|uefi|uefi-secure] [--tpm|--no-tpm] [--nic M] [--net user|bridge|none] [--bridge br0] [--forward tcp:2222:22]… [--display D] [--viewer guestbay|window] [--sound S] [--usb VENDOR:PRODUCT]… [--disk-bus B] [--share-method M] [--autostart] [--memory-file] [--json]',
  },
  settings: {
    run: lazy(() => import('./settings'), 'settings'),
    usage: 'settings [get [KEY] | set KEY VALUE | reset KEY] [--json]   Guestbay-wide settings: shared-folder (the folder every new guest gets)',
    help: async () => (await import('./settings')).settingsHelp(),
  },
  list: { run: lazy(() => import('./list'), 'list'), usage: 'list [--json]' },
  show: { run: lazy(() => import('./show'), 'show'), usage: 'show N [--json]' },
  set: {
    run: lazy(() => import('./set'), 'set'),
    usage: 'set N key=value… [--json]              change settings: memory=8G cores=4 nic=e1000e forward+=tcp:2222:22 media=~/x.iso title="My VM" (set --help: every key)',
    help: async () => (await import('./set')).setHelp(),
  },
  edit: { run: lazy(() => import('./edit'), 'edit'), usage: 'edit N [--json]                        the config in $VISUAL/$EDITOR, checked; reopened with the reasons when refused' },
  media: { run: lazy(() => import('./media'), 'media'), usage: 'media N [insert FILE | eject [--force]] [--drive ID] [--json]   discs in CD/DVD drives (at once on a running guest)' },
  tools: { run: lazy(() => import('./tools'), 'tools'), usage: 'tools N [--insert] [--json]            the guest tools disk (shared folders, guest agent); --insert plugs it in as a USB stick' },
  rename: { run: lazy(() => import('./rename'), 'rename'), usage: 'rename OLD NEW [--json]                the guest\'s folder moves with it; not while it runs or is saved' },
  pending: { run: lazy(() => import('./pending'), 'pending'), usage: 'pending N [--json]                     what a running guest gets at its next start: the command before and after' },
  usb: { run: lazy(() => import('./usb'), 'usb'), usage: USB_USAGE },
  iommu: { run: lazy(() => import('./iommu'), 'iommu'), usage: 'iommu [--json]                         IOMMU groups, and which GPU, audio and USB controller can go to a guest' },
  vfio: { run: lazy(() => import('./vfio'), 'vfio'), usage: VFIO_USAGE },
  'single-gpu': { run: lazy(() => import('./single-gpu'), 'singleGpu'), usage: SINGLE_GPU_USAGE },
  'looking-glass': { run: lazy(() => import('./looking-glass'), 'lookingGlass'), usage: LOOKING_GLASS_USAGE },
  cmdline: { run: lazy(() => import('./cmdline'), 'cmdline'), usage: 'cmdline N [--accel tcg|kvm] [--headless] [--paused] [--json]   the exact command, ready to paste' },
  delete: { run: lazy(() => import('./delete'), 'del'), usage: 'delete N --yes [--delete-disks]        disk images are kept unless --delete-disks' },
  start: { run: lazy(() => import('./start'), 'start'), usage: 'start N [--accel tcg|kvm] [--headless] [--paused] [--fresh] [--wait]   a saved guest is restored unless --fresh' },
  stop: { run: lazy(() => import('./stop'), 'stop'), usage: 'stop N [--force] [--timeout S]          ACPI power-down, then quit after S seconds (default 60)' },
  pause: { run: lazy(() => import('./simple'), 'pause'), usage: 'pause N' },
  resume: { run: lazy(() => import('./simple'), 'resume'), usage: 'resume N' },
  reset: { run: lazy(() => import('./simple'), 'reset'), usage: 'reset N                                hard reset, like the reset button' },
  save: { run: lazy(() => import('./simple'), 'save'), usage: 'save N                                 write the whole running guest to a file and end it' },
  restore: { run: lazy(() => import('./restore'), 'restore'), usage: 'restore N [--headless]                 continue a saved guest where it was' },
  switch: { run: lazy(() => import('./switch'), 'switchCmd'), usage: 'switch N [--headless]                  save or stop what holds N\'s devices or memory, then run N' },
  status: { run: lazy(() => import('./status'), 'status'), usage: 'status [N] [--json]' },
  screenshot: { run: lazy(() => import('./screenshot'), 'screenshotCmd'), usage: 'screenshot N FILE.png                   the guest\'s screen as PNG' },
  serve: { run: lazy(() => import('./serve'), 'serveCmd'), usage: `serve [--port N] ${SOURCE_USAGE}   the app in a browser, on 127.0.0.1 with a per-run token` },
  logs: { run: lazy(() => import('./logs'), 'logs'), usage: 'logs N [--lines K]                     QEMU, sidecar and serial logs' },
  disk: { run: lazy(() => import('./disk'), 'disk'), usage: DISK_USAGE },
  clone: { run: lazy(() => import('./clone'), 'clone'), usage: 'clone SRC NEW [--linked] [--title T]   a copy of a stopped guest; --linked: copy-on-write over SRC, which becomes a read-only base' },
  snapshot: { run: lazy(() => import('./snapshot'), 'snapshot'), usage: 'snapshot N create|list|revert|delete [TAG] [--yes]   offline when shut down, live (memory too) when running; --yes confirms reverting a running guest' },
  look: { run: lazy(() => import('./look'), 'look'), usage: LOOK_USAGE },
  import: { run: lazy(() => import('./import'), 'importCmd'), usage: IMPORT_USAGE },
  export: { run: lazy(() => import('./export'), 'exportCmd'), usage: EXPORT_USAGE },
  base: { run: lazy(() => import('./clone'), 'base'), usage: 'base N [--undo]                        make a stopped guest a read-only base for linked clones (--undo: an ordinary guest again)' },
  macos: {
    run: lazy(() => import('./macos'), 'macos'),
    usage: [
      'macos preflight --release R [--json]    what this host needs for macOS R, each finding with its fix',
      `macos prepare --release R --name N [--disk-size 80G] [--resolution 1920x1080] [--share DIR]… [--allow-tcg] ${SOURCE_USAGE} [--json]   recovery from Apple, recovery disk, OpenCore, and the guest`,
      'macos finish N                         after the install: detach the recovery disk, boot the installed disk',
      'macos download --release R --dir D [--recovery-server URL] [--recovery-key F.pem] [--json]   recovery image from Apple, verified, resumable',
    ].join('\n  guestbay '),
  },
  windows: { run: lazy(() => import('./windows'), 'windows'), usage: WINDOWS_USAGE },
};
