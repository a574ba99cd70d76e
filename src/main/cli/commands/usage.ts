// Usage lines of commands whose usage is longer than one entry of the table in index.ts, kept
// here so that `guestbay help` prints them without importing those commands.

export const DISK_USAGE = [
  'disk info N [--json]                   every disk: format, sizes, backing chain, snapshots, linked clones',
  'disk check N [--disk ID] [--repair leaks|all] [--json]',
  'disk resize N SIZE [--disk ID] [--shrink]   grow (or, with --shrink, cut off the end: data there is lost)',
  'disk convert N --to qcow2|raw [--disk ID]   the guest uses the converted file; the old one is kept',
  'disk convert FILE OUT [--to qcow2|raw] [--from raw|qcow2|vdi|vmdk|vhdx|vpc]   any image file, with progress',
  'disk compact N [--disk ID]             rewrite without the space the guest freed',
  'disk import N FILE [--from FORMAT] [--bus virtio|sata|…]   a VirtualBox, VMware or Hyper-V disk as the guest\'s next disk',
  'disk commit N [--disk ID]              write a linked clone\'s changes into its base',
  'disk flatten N [--disk ID]             make a linked clone\'s disk standalone',
].join('\n  guestbay ');

export const EXPORT_USAGE = 'export N --script|--libvirt [--output FILE] [--headless] [--accel kvm|tcg]   a bash script that starts the guest as Guestbay does, or a libvirt domain';

export const IMPORT_USAGE = 'import FILE [--name N] [--copy-disks]   a guest from libvirt XML (virsh dumpxml), a quickemu .conf or a VirtualBox .vbox; disks used in place unless copied';

export const LOOK_USAGE = 'look N [--disk ID] [--copy P:/path --to DIR] [--mount]   partitions and file systems; copy files out without root; --mount: mount read-only as root through pkexec';

export const WINDOWS_USAGE = [
  'windows inspect ISO [--json]             the Windows version and editions an ISO holds (its label and install image)',
  'windows prepare --name N --iso FILE|--download 10|11 [--edition E] [--virtio-win FILE] [--user U] [--password-stdin] [--disk-size 80G] [--share DIR]… [--allow-tcg] [--bypass-requirements] [--json]   drivers, an unattended install on an answer disk, and the guest',
].join('\n  guestbay ');

export const VFIO_USAGE = 'vfio bind|release ADDR… [--to DRIVER] [--yes]   PCI functions to vfio-pci or back to the host (as root through pkexec; the steps are shown first)';

export const SINGLE_GPU_USAGE = 'single-gpu ADDR | single-gpu --give-back N   the single-GPU passthrough steps for this GPU, as a dry run; or give back the GPU guest N took (docs/single-gpu.md: the way back over SSH)';

export const LOOKING_GLASS_USAGE = 'looking-glass N                       open Looking Glass\'s client on the guest\'s shared memory';

export const USB_USAGE =
  'usb [--json] | usb attach|detach N VENDOR:PRODUCT|BUS-PORT [--json]   USB devices plugged into this host (with their ports); pass one, or a port (whatever is plugged in there, now or later), to a guest — at once when it runs';
