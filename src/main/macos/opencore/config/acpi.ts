// The ACPI section of OpenCore's config.plist.
import type { PlistDict } from '../plist-xml';

// QEMU's own ACPI tables are enough to boot. OSX-KVM and dockur add a fake EC and USBX
// SSDT compiled for QEMU; the release's samples target real boards' \_SB.PCI0.LPCB (QEMU
// has no LPCB), so none is added. Quirks: Sample values.
export function acpi(): PlistDict {
  return {
    Add: [],
    Delete: [],
    Patch: [],
    Quirks: {
      FadtEnableReset: false,
      NormalizeHeaders: false,
      RebaseRegions: false,
      ResetHwSig: false,
      // OVMF publishes a BGRT (boot logo) table; Sample, OSX-KVM and dockur all reset it.
      ResetLogoStatus: true,
      SyncTableIds: false,
    },
  };
}
