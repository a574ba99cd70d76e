// What the macOS installer shows, step by step, for the companion panel beside the running
// guest: what to do, what the user should see, and what to do when they do not. The flow is
// the one OpenCore-based installs go through (../shared/notes/macos.md, "Install flow";
// Dortania's OpenCore install guide; OSX-KVM's README), with the disk names QEMU gives.

export interface InstallStep {
  id: string;
  title: string;
  /** What to do. */
  doThis: string;
  /** What the user should see when it went right. */
  expect: string;
  /** What to do when they do not. */
  ifNot: string;
}

export const MACOS_INSTALL_STEPS: readonly InstallStep[] = [
  {
    id: 'picker',
    title: 'Choose the installer in OpenCore’s picker',
    doThis: 'In the text menu, choose the entry ending in “(dmg)” or named “macOS Base System” with the arrow keys and Enter.',
    expect: 'A list of numbered entries after a few seconds, then an Apple logo with a progress bar (several minutes; far longer without KVM).',
    ifNot:
      'No “(dmg)” entry: the recovery disk is missing or damaged, so check that the guest’s media list shows Recovery.img and prepare the guest again. The UEFI shell instead of a menu: stop the guest, then start it again; if it stays, delete the efivars file in the guest’s folder so a fresh copy is made.',
  },
  {
    id: 'language',
    title: 'Pick a language, then open Disk Utility',
    doThis: 'Choose your language; in the macOS Utilities window choose Disk Utility and Continue.',
    expect: 'The macOS Utilities window with Restore from Time Machine, Reinstall macOS, Safari and Disk Utility.',
    ifNot: 'Stuck on the Apple logo for more than 15 minutes with KVM: stop the guest and try again; if it stays stuck, the release may not suit this CPU (see Host).',
  },
  {
    id: 'erase',
    title: 'Erase the system disk as APFS',
    doThis:
      'In Disk Utility choose View → Show All Devices and select the disk of the size you chose (macOS counts in GB: 128 GiB shows as 137.4 GB); its name depends on the bus, e.g. “VirtIO Block Media” or “QEMU HARDDISK Media”. Click Erase: name “Macintosh HD”, format APFS, scheme GUID Partition Map. Then quit Disk Utility.',
    expect: 'The disk shows as Macintosh HD with almost all of its space free.',
    ifNot: 'Only small disks are listed: you are looking at OpenCore or the recovery disk (both a few hundred MB or less); leave them alone. No big disk at all: the system disk is not attached, check the guest’s settings.',
  },
  {
    id: 'reinstall',
    title: 'Reinstall macOS',
    doThis: 'Choose Reinstall macOS, agree to the licence and pick Macintosh HD.',
    expect: 'A time estimate while the installer downloads macOS from Apple (several GB: the guest needs the network).',
    ifNot: '“An error occurred while preparing the installation” or no network: check the host’s network; the guest’s clock must be right, so stop and start the guest once.',
  },
  {
    id: 'reboots',
    title: 'Through the reboots',
    doThis:
      'The guest restarts several times. Each time OpenCore’s picker shows: choose “macOS Installer” while it is there, then “Macintosh HD”. Never “(dmg)” again: that starts the installation over.',
    expect: 'Progress bars with “About N minutes remaining”; the Apple logo between them.',
    ifNot: 'A black screen after a restart: use Reset on the guest page, then choose the same entry again. It starts over from the beginning: you chose the (dmg) entry, so pick macOS Installer next time.',
  },
  {
    id: 'setup',
    title: 'The setup assistant',
    doThis: 'Choose your country, keyboard and account. Skip Apple ID for now if you like; it can be added later.',
    expect: 'The macOS desktop.',
    ifNot: 'Frozen at country selection: stop the guest, give it at most 8 GiB of memory (AMD hosts), start it again.',
  },
  {
    id: 'finish',
    title: 'Finish the installation',
    doThis: 'Shut macOS down (Apple menu → Shut Down). Then click Finish installation below.',
    expect: 'Guestbay detaches the recovery disk and OpenCore boots Macintosh HD by itself from now on.',
    ifNot: 'The button stays disabled while the guest is running or paused: shut macOS down first.',
  },
];
