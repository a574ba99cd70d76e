// The Booter section of OpenCore's config.plist: the boot.efi quirks OVMF needs.
import type { PlistDict } from '../plist-xml';

export function booter(): PlistDict {
  return {
    MmioWhitelist: [],
    Patch: [],
    Quirks: {
      AllowRelocationBlock: false,
      // "Most types of firmware, apart from Apple and VMware, need this quirk" — OVMF does.
      AvoidRuntimeDefrag: true,
      ClearTaskSwitchBit: false,
      // MMIO devirtualisation and memory-map rebuilding fix real boards' firmware; OVMF's
      // map is small and sane (OSX-KVM and dockur leave these off too).
      DevirtualiseMmio: false,
      DisableSingleUser: false,
      DisableVariableWrite: false,
      DiscardHibernateMap: false,
      // Keeps KASLR working in safe mode (Sample, OSX-KVM): safe mode is a repair tool.
      EnableSafeModeSlide: true,
      // Lets firmware runtime code be patched while boot.efi runs; the alternative
      // (RebuildAppleMemoryMap + SyncRuntimePermissions) is what OSX-KVM and dockur leave off
      // on OVMF, while all three configs, the Sample included, turn this on.
      EnableWriteUnprotector: true,
      // Needed for macOS boot.efi on stricter PE loaders "when SecureBootModel is Disabled"
      // (Configuration.tex); does nothing where the loader is lenient. Sample: true.
      FixupAppleEfiImages: true,
      ForceBooterSignature: false,
      ForceExitBootServices: false,
      ProtectMemoryRegions: false,
      ProtectSecureBoot: false,
      ProtectUefiServices: false,
      // Avoids boot failures when boot.efi picks a KASLR slide that collides with firmware
      // memory (Sample, OSX-KVM).
      ProvideCustomSlide: true,
      ProvideMaxSlide: 0,
      RebuildAppleMemoryMap: false,
      ResizeAppleGpuBars: -1,
      // Only for firmware that reads memory by virtual address after SetVirtualAddresses
      // ("determined by early boot failures"); OSX-KVM and dockur boot OVMF with it off.
      SetupVirtualMap: false,
      SignalAppleOS: false,
      SyncRuntimePermissions: false,
    },
  };
}
