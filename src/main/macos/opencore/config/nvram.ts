// The NVRAM section of OpenCore's config.plist: boot-args and the variables set on every boot.
import type { PlistDict } from '../plist-xml';

const APPLE_NVRAM = '7C436110-AB2A-4BBB-A880-FE41995C9F82';
const APPLE_BOOT_NVRAM = '4D1EDE05-38C7-4A6A-9CC6-4BCCA8B38C14';
const OC_NVRAM = '4D1FDA02-38C7-4A6A-9CC6-4BCCA8B30102';

export function nvram(bootArgs: string[]): PlistDict {
  return {
    Add: {
      // Black picker background (Sample).
      [APPLE_BOOT_NVRAM]: { DefaultBackgroundColor: new Uint8Array([0, 0, 0, 0]) },
      [OC_NVRAM]: { 'rtc-blacklist': new Uint8Array(0) },
      [APPLE_NVRAM]: {
        'boot-args': bootArgs.join(' '),
        // SIP fully on: nothing here needs it off, and csrutil in Recovery can change it.
        'csr-active-config': new Uint8Array([0, 0, 0, 0]),
        // US English and the US keyboard for the installer (OSX-KVM's value).
        'prev-lang:kbd': new TextEncoder().encode('en-US:0'),
        // Real Macs' firmware updaters have no business in a VM.
        'run-efi-updater': 'No',
      },
    },
    // Add never overwrites a variable that exists; deleting first makes boot-args follow
    // this file on every boot (Sample's list).
    Delete: {
      [APPLE_BOOT_NVRAM]: ['DefaultBackgroundColor'],
      [OC_NVRAM]: ['rtc-blacklist'],
      [APPLE_NVRAM]: ['boot-args'],
    },
    LegacyOverwrite: false,
    // Only for emulated NVRAM (nvram.plist); OVMF keeps real variables in its VARS file.
    LegacySchema: {},
    WriteFlash: true,
  };
}
