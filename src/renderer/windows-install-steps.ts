// What Windows Setup shows, stage by stage, when it installs from Guestbay's answer disk (the
// autounattend.xml written by src/main/windows/unattend/answer-file.ts): what to do, what the
// user should see, and what to do when they do not. Almost everything runs on its own; the two
// things only the user can do are pressing a key to boot the DVD, and removing the answer disk.
import type { InstallStep } from './macos-install-steps';

export const WINDOWS_INSTALL_STEPS: readonly InstallStep[] = [
  {
    id: 'boot',
    title: 'Press a key to boot from the DVD',
    doThis: 'Click into the screen and press any key as soon as the firmware says “Press any key to boot from CD or DVD…”. It waits only about five seconds.',
    expect: 'The Windows logo, then “Windows Setup” with a progress ring (a minute with KVM; far longer without).',
    ifNot: 'Missed it (a “Boot Manager” screen or the UEFI shell instead): reset the guest (More → Reset) and press a key the moment the prompt appears.',
  },
  {
    id: 'setup',
    title: 'Windows Setup runs on its own',
    doThis: 'Nothing: the answer disk answers every question. Setup loads the virtio storage and network drivers from the virtio-win disc, makes the EFI, MSR and Windows partitions and copies the edition you chose.',
    expect: '“Installing Windows” with a percentage (10–30 minutes with KVM), then a restart.',
    ifNot:
      'A question about the language or the edition: the answer disk was not found (its USB drive missing from the guest’s media), so answer by hand. “No drives were found”: the virtio-win disc is missing or not for this Windows version; check the guest’s CD/DVD drives.',
  },
  {
    id: 'restarts',
    title: 'Restarts: do not press a key this time',
    doThis: 'Let the “Press any key to boot from CD or DVD” prompt pass: Windows goes on from the disk. It restarts two or three times.',
    expect: '“Getting ready”, then “Hi” and “This might take a few minutes” — the setup screens you would normally answer are skipped (local account, no online account).',
    ifNot: 'Windows Setup starting again from the beginning: a key was pressed at the prompt. Reset the guest and let the prompt pass.',
  },
  {
    id: 'logon',
    title: 'First logon: the tools install themselves',
    doThis: 'Wait: Windows signs in once on its own as the account you chose, and installs the virtio-win guest tools and the QEMU guest agent; the shared folder becomes a drive letter.',
    expect: 'The desktop, a console window or two that close by themselves, and the guest’s address in Guestbay’s header once the agent runs.',
    ifNot: 'A sign-in screen: sign in with the account and password you chose. No guest agent after a few minutes: run virtio-win-guest-tools.exe from the virtio-win disc yourself.',
  },
  {
    id: 'remove',
    title: 'Shut down and remove the answer disk',
    doThis: 'Shut Windows down (Start → Power → Shut down). Then remove the answer disk: it holds your password (encoded as Windows Setup reads it, not encrypted).',
    expect: 'The guest stopped; after removing, the answer disk is gone from its media.',
    ifNot: 'The button stays disabled: the guest is still running. Shut it down from inside Windows, or use Stop in the header.',
  },
];
