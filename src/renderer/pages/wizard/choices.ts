// The wizard's fixed choices and their explanations, as the steps show them. Device and
// firmware values and their words come from src/shared/vm-choices.ts.
import type { ShareMethod } from '../../../shared/vm-config';
import type { OsChoice } from './model';

export const OS_CHOICES: { id: OsChoice; title: string; family: string; blurb: string }[] = [
  { id: 'linux', title: 'Linux', family: 'linux', blurb: 'Any current distribution. Every device is virtio: fast, with drivers in the kernel.' },
  { id: 'windows-10', title: 'Windows 10', family: 'windows', blurb: 'UEFI with Hyper-V enlightenments. Add the virtio-win disc for fast disk and network.' },
  { id: 'windows-11', title: 'Windows 11', family: 'windows', blurb: 'Needs UEFI with Secure Boot and a TPM 2.0: both are set up for you.' },
  { id: 'macos', title: 'macOS', family: 'macos', blurb: 'Through OpenCore, downloaded from Apple’s recovery servers.' },
];

/** Which ways of sharing a folder each guest system can mount (the first is the default). */
export const SHARE_METHODS_FOR: Record<OsChoice, ShareMethod[]> = {
  linux: ['virtiofs', '9p'],
  'windows-10': ['virtiofs', 'smb'],
  'windows-11': ['virtiofs', 'smb'],
  macos: ['9p', 'smb'],
};

/** A preset's one-line reason as a sentence of its own. */
export function sentence(s: string): string {
  const t = s.trim();
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?)]$/.test(t) ? '' : '.');
}
