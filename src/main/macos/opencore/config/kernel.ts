// The Kernel section of OpenCore's config.plist: no kexts, no CPUID patches (the guest CPU is
// Guestbay's -cpu), and the quirks a virtual machine needs.
import type { PlistDict } from '../plist-xml';

export function kernel(): PlistDict {
  return {
    Add: [],
    Block: [],
    Emulate: {
      // The guest CPU is a real Intel model chosen by Guestbay's -cpu; no CPUID faking.
      Cpuid1Data: new Uint8Array(0),
      Cpuid1Mask: new Uint8Array(0),
      // A vCPU has no power management for AppleIntelCpuPowerManagement (macOS up to 12) to
      // drive, so that kext is disabled ("CPUs without native power management"). OSX-KVM,
      // dockur: on.
      DummyPowerManagement: true,
      MaxKernel: '',
      MinKernel: '',
    },
    Force: [],
    Patch: [],
    Quirks: {
      // No CFG lock, no XCPM MSRs and no Aquantia/third-party hardware in a QEMU guest.
      AppleCpuPmCfgLock: false,
      AppleXcpmCfgLock: false,
      AppleXcpmExtraMsrs: false,
      AppleXcpmForceBoost: false,
      CustomPciSerialDevice: false,
      CustomSMBIOSGuid: false,
      // QEMU's q35 gets no DMAR table unless an intel-iommu device is added (Guestbay adds
      // none), so there is no VT-d for XNU to trip over.
      DisableIoMapper: false,
      DisableIoMapperMapping: false,
      // Sample default; lets kexts added later work on Big Sur+ without keepsyms.
      DisableLinkeditJettison: true,
      DisableRtcChecksum: false,
      ExtendBTFeatureFlags: false,
      ExternalDiskIcons: false,
      ForceAquantiaEthernet: false,
      // "Required on virtual machines when using SecureBootModel different from x86legacy":
      // on, so turning Apple Secure Boot on later just works (OSX-KVM and dockur: on).
      ForceSecureBootScheme: true,
      IncreasePciBarSize: false,
      LapicKernelPanic: false,
      LegacyCommpage: false,
      // Panic logs then show the panic itself instead of pages of loaded kexts.
      PanicNoKextDump: true,
      // Emulated devices (HDA especially) can miss a setPowerState deadline; macOS 10.15+
      // would panic for it, which helps no one in a VM.
      PowerTimeoutKernelPanic: true,
      // "For KVM and other hypervisors it provides precomputed MSR 35h values solving kernel
      // panic with -cpu host" — a user may choose `host` on an Intel host. OSX-KVM, dockur: on.
      ProvideCurrentCpuInfo: true,
      SetApfsTrimTimeout: -1,
      ThirdPartyDrives: false,
      XhciPortLimit: false,
    },
    Scheme: { CustomKernel: false, FuzzyMatch: true, KernelArch: 'Auto', KernelCache: 'Auto' },
  };
}
