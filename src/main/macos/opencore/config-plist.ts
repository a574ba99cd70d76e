// OpenCore's config.plist for one QEMU guest, generated from its settings every time the boot
// disk is built. The key set is OpenCorePkg 1.0.7's Docs/Sample.plist: OpenCore reads a
// missing key as an "invalid value" (Configuration.tex, "Configuration Terms"), so every key
// the sample has is written. Values follow the sample unless a comment says why not; the QEMU
// choices were weighed against OSX-KVM's and dockur/macos's configs (both boot macOS on
// QEMU/OVMF). The guest CPU is set by Guestbay's QEMU arguments (src/main/qemu/plan/system.ts),
// so there are no CPUID or cpufamily patches here, and no kexts: the release zip carries none,
// and Guestbay takes nothing from OcBinaryData or other bundles of Apple-derived files.
import type { MacosReleaseKey } from '../../../shared/os/macos-releases';
import type { MacIdentity } from '../identity';
import { OPENCORE_DRIVERS } from './release';

export type PlistValue = string | number | boolean | Uint8Array | PlistValue[] | PlistDict;
export interface PlistDict {
  [key: string]: PlistValue;
}

export interface OpenCoreConfigOptions {
  identity: MacIdentity;
  /** The guest's display size; OpenCore's picker and macOS's boot screen use it. */
  resolution: { width: number; height: number };
  /** The release being installed or run: decides how old an APFS driver may be. */
  release?: MacosReleaseKey;
  /** Verbose kernel boot (`-v`): text instead of the Apple logo; for troubleshooting. */
  verbose?: boolean;
  /** Seconds the picker waits before booting the default entry; 0 waits for a choice. Default 10, 5 once installed. */
  timeoutSeconds?: number;
  /**
   * macOS is installed (Guestbay detached the recovery disk): auxiliary entries (macOS's own
   * Recovery, Reset NVRAM) are hidden, so the picker shows the installed disk and boots it.
   * Space in the picker still shows them.
   */
  installed?: boolean;
}

const APPLE_NVRAM = '7C436110-AB2A-4BBB-A880-FE41995C9F82';
const APPLE_BOOT_NVRAM = '4D1EDE05-38C7-4A6A-9CC6-4BCCA8B38C14';
const OC_NVRAM = '4D1FDA02-38C7-4A6A-9CC6-4BCCA8B30102';

/** Releases whose APFS driver predates OpenCore's default minimum (Big Sur, 2021-01-01). */
const OLD_APFS: ReadonlySet<MacosReleaseKey> = new Set(['high-sierra', 'mojave', 'catalina']);

export function openCoreConfig(o: OpenCoreConfigOptions): PlistDict {
  const id = checkIdentity(o.identity);
  const { width, height } = checkResolution(o.resolution);
  const timeout = o.timeoutSeconds ?? (o.installed ? 5 : 10);
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > 3600) throw new Error(`picker timeout ${timeout} s is not a whole number of seconds in 0..3600`);
  const oldApfs = o.release === undefined || OLD_APFS.has(o.release);
  const bootArgs = [
    ...(o.verbose ? ['-v'] : []),
    // Symbol names in panic logs (Sample.plist's default): a panic report is readable.
    'keepsyms=1',
    // Stay on the panic screen instead of rebooting (dockur does the same): in a VM a reboot
    // loop hides the one message that says what went wrong.
    'debug=0x100',
  ];

  return {
    '#Generated': 'By Guestbay from the guest settings; rebuilt with the boot disk, so edits here do not last.',
    // QEMU's own ACPI tables are enough to boot. OSX-KVM and dockur add a fake EC and USBX
    // SSDT compiled for QEMU; the release's samples target real boards' \_SB.PCI0.LPCB (QEMU
    // has no LPCB), so none is added. Quirks: Sample values.
    ACPI: {
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
    },
    Booter: {
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
    },
    DeviceProperties: { Add: {}, Delete: {} },
    Kernel: {
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
    },
    Misc: {
      BlessOverride: [],
      Boot: {
        ConsoleAttributes: 0,
        HibernateMode: 'None',
        HibernateSkipsPicker: false,
        // Recovery entries count as auxiliary, and the installer is one: hiding them would hide
        // "macOS Base System" from a first install. Once installed, only the disk is offered.
        HideAuxiliary: o.installed === true,
        InstanceIdentifier: '',
        // Guestbay boots this disk by its QEMU boot order; OpenCore must not add itself to the
        // guest's UEFI boot entries.
        LauncherOption: 'Disabled',
        LauncherPath: 'Default',
        PickerAttributes: 17,
        PickerAudioAssist: false,
        // The text picker: OpenCanopy needs images from OcBinaryData, which Guestbay does not use.
        PickerMode: 'Builtin',
        PickerVariant: 'Auto',
        // Lets Cmd+V (verbose), Cmd+S, Cmd+R work while the picker is up (OSX-KVM: on).
        PollAppleHotKeys: true,
        // The installer reboots several times into different entries; the user must see them.
        ShowPicker: true,
        TakeoffDelay: 0,
        // Then boots the default (what macOS itself last chose) so an unattended reboot goes on.
        Timeout: timeout,
      },
      Debug: {
        AppleDebug: false,
        ApplePanic: false,
        DisableWatchDog: false,
        DisplayDelay: 0,
        DisplayLevel: 2147483650,
        LogModules: '*',
        SysReport: false,
        // No log: with logging on, HaltLevel would stop the boot on the first error message.
        Target: 0,
      },
      Entries: [],
      Security: {
        // Ctrl+Enter in the picker makes an entry the default: how a user pins the installed disk.
        AllowSetDefault: true,
        ApECID: 0,
        AuthRestart: false,
        BlacklistAppleUpdate: true,
        // Recovery is loaded from BaseSystem.dmg + .chunklist in a FAT partition's
        // com.apple.recovery.boot/; "Signed" loads only images Apple signed.
        DmgLoading: 'Signed',
        EnablePassword: false,
        ExposeSensitiveData: 6,
        HaltLevel: 0x80000000,
        PasswordHash: new Uint8Array(0),
        PasswordSalt: new Uint8Array(0),
        // 0 = scan every file system on every device: the FAT recovery partition (the
        // Sample's policy skips FAT) and virtio disks (PCI devices, also skipped by the Sample).
        ScanPolicy: 0,
        // Apple Secure Boot needs a model matching the SMBIOS from macOS 12 on and does not
        // cover High Sierra; OSX-KVM and dockur both disable it. DmgLoading still checks
        // Apple's signature on the recovery image.
        SecureBootModel: 'Disabled',
        // The config is generated per guest, so it cannot be in a signed vault.
        Vault: 'Optional',
      },
      Serial: { Init: false, Override: false },
      Tools: [],
    },
    NVRAM: {
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
    },
    PlatformInfo: {
      // Build SMBIOS, DataHub and NVRAM identity from Generic (the documented safe way).
      Automatic: true,
      CustomMemory: false,
      Generic: {
        AdviseFeatures: false,
        MLB: id.mlb,
        MaxBIOSVersion: false,
        ProcessorType: 0,
        ROM: Buffer.from(id.rom, 'hex'),
        // "Acidanthera" instead of Apple in the SMBIOS vendor fields (Sample, OSX-KVM, dockur).
        SpoofVendor: true,
        SystemMemoryStatus: 'Auto',
        SystemProductName: id.model,
        SystemSerialNumber: id.serial,
        SystemUUID: id.uuid,
      },
      UpdateDataHub: true,
      UpdateNVRAM: true,
      UpdateSMBIOS: true,
      // Fresh tables (Sample, failsafe); TryOverwrite "has issues on some types of firmware".
      UpdateSMBIOSMode: 'Create',
      UseRawUuidEncoding: false,
    },
    UEFI: {
      APFS: {
        // Load the APFS driver from the macOS container itself: OVMF has none.
        EnableJumpstart: true,
        GlobalConnect: false,
        HideVerbose: true,
        JumpstartHotPlug: false,
        // 0 admits only drivers from Big Sur on (2021-01-01); High Sierra to Catalina ship
        // older ones, so for them (or an unknown release) any age is allowed (OSX-KVM: -1).
        MinDate: oldApfs ? -1 : 0,
        MinVersion: oldApfs ? -1 : 0,
      },
      AppleInput: {
        AppleEvent: 'Builtin',
        CustomDelays: false,
        GraphicsInputMirroring: true,
        KeyInitialDelay: 50,
        KeySubsequentDelay: 5,
        PointerDwellClickTimeout: 0,
        PointerDwellDoubleClickTimeout: 0,
        PointerDwellRadius: 0,
        PointerPollMask: -1,
        PointerPollMax: 80,
        PointerPollMin: 10,
        PointerSpeedDiv: 1,
        PointerSpeedMul: 1,
      },
      // No boot chime or picker speech: AudioDxe is not loaded.
      Audio: {
        AudioCodec: 0,
        AudioDevice: '',
        AudioOutMask: 1,
        AudioSupport: false,
        DisconnectHda: false,
        MaximumGain: -15,
        MinimumAssistGain: -30,
        MinimumAudibleGain: -55,
        PlayChime: 'Auto',
        ResetTrafficClass: false,
        SetupDelay: 0,
      },
      // Connect the loaded file-system drivers (HFS+) to every disk so all entries show.
      ConnectDrivers: true,
      Drivers: OPENCORE_DRIVERS.map((d) => ({ Arguments: '', Comment: d.why, Enabled: true, LoadEarly: false, Path: d.file })),
      Input: {
        KeyFiltering: false,
        KeyForgetThreshold: 5,
        // OVMF's USB keyboard driver, translated for Apple's key map: the picker's hotkeys.
        KeySupport: true,
        KeySupportMode: 'Auto',
        KeySwap: false,
        PointerSupport: false,
        PointerSupportMode: 'ASUS',
        TimerResolution: 50000,
      },
      Output: {
        ClearScreenOnModeSwitch: false,
        ConsoleFont: '',
        ConsoleMode: '',
        DirectGopRendering: false,
        ForceResolution: false,
        GopBurstMode: false,
        GopPassThrough: 'Disabled',
        IgnoreTextInGraphics: false,
        InitialMode: 'Auto',
        // boot.efi needs GOP on the console handle, where OVMF does not promise to put it.
        ProvideConsoleGop: true,
        ReconnectGraphicsOnConnect: false,
        ReconnectOnResChange: false,
        ReplaceTabWithSpace: false,
        // The user's display size; macOS keeps the boot resolution until its own driver loads.
        Resolution: `${width}x${height}@32`,
        SanitiseClearScreen: false,
        TextRenderer: 'BuiltinGraphics',
        UIScale: 0,
        UgaPassThrough: false,
      },
      ProtocolOverrides: {
        AppleAudio: false,
        AppleBootPolicy: false,
        AppleDebugLog: false,
        AppleEg2Info: false,
        AppleFramebufferInfo: false,
        AppleImageConversion: false,
        AppleImg4Verification: false,
        AppleKeyMap: false,
        AppleRtcRam: false,
        AppleSecureBoot: false,
        AppleSmcIo: false,
        AppleUserInterfaceTheme: false,
        DataHub: false,
        DeviceProperties: false,
        // Cursor images for FileVault 2's login; VMs "may also require" it (Sample: on).
        FirmwareVolume: true,
        HashServices: false,
        OSInfo: false,
        PciIo: false,
        UnicodeCollation: false,
      },
      Quirks: {
        ActivateHpetSupport: false,
        DisableSecurityPolicy: false,
        EnableVectorAcceleration: true,
        EnableVmx: false,
        ExitBootServicesDelay: 0,
        ForceOcWriteFlash: false,
        ForgeUefiSupport: false,
        IgnoreInvalidFlexRatio: false,
        ReleaseUsbOwnership: false,
        ReloadOptionRoms: false,
        // macOS's Startup Disk choice is kept in OpenCore's own variables, where OVMF cannot
        // drop it as an entry it does not understand (Sample, OSX-KVM).
        RequestBootVarRouting: true,
        ResizeGpuBars: -1,
        ResizeUsePciRbIo: false,
        ShimRetainProtocol: false,
        TscSyncTimeout: 0,
        UnblockFsConnect: false,
      },
      ReservedMemory: [],
      Unload: [],
    },
  };
}

export function openCoreConfigXml(o: OpenCoreConfigOptions): string {
  return plistXml(openCoreConfig(o));
}

// The formats VmConfig's `macos` schema accepts (src/shared/vm-config.ts), checked again here
// because a malformed value would reach OpenCore as an "invalid value" with undefined results.
function checkIdentity(id: MacIdentity): MacIdentity {
  const bad = (what: string, v: string) => new Error(`the guest's ${what} "${v}" is malformed`);
  if (!/^[A-Za-z0-9,]{3,32}$/.test(id.model)) throw bad('Mac model', id.model);
  if (!/^[A-Z0-9]{10,12}$/.test(id.serial)) throw bad('serial number', id.serial);
  if (!/^[A-Z0-9]{13,17}$/.test(id.mlb)) throw bad('board serial (MLB)', id.mlb);
  if (!/^[0-9a-fA-F]{12}$/.test(id.rom)) throw bad('ROM', id.rom);
  if (!/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/.test(id.uuid)) throw bad('system UUID', id.uuid);
  return id;
}

function checkResolution(r: { width: number; height: number }): { width: number; height: number } {
  const ok = (n: number) => Number.isInteger(n) && n >= 640 && n <= 8192;
  if (!ok(r.width) || !ok(r.height)) throw new Error(`resolution ${r.width}x${r.height} is not a whole-pixel size between 640 and 8192`);
  return r;
}

// ---- XML property list writer -------------------------------------------------------------
// Apple's PropertyList-1.0 DTD, the form OpenCore's parser (OcXmlLib) reads: <dict> with
// <key>s in order, <string>, <integer>, <true/>/<false/>, <data> as base64, <array>.

export function plistXml(root: PlistDict): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
  ];
  writeValue(root, 0, lines, '');
  lines.push('</plist>', '');
  return lines.join('\n');
}

function writeValue(v: PlistValue, depth: number, out: string[], path: string): void {
  const pad = '\t'.repeat(depth);
  if (typeof v === 'string') out.push(`${pad}<string>${escapeXml(v, path)}</string>`);
  else if (typeof v === 'boolean') out.push(`${pad}<${v}/>`);
  else if (typeof v === 'number') {
    // OpenCore has no <real> keys; a fraction here is a bug, not a value to round.
    if (!Number.isSafeInteger(v)) throw new Error(`plist ${path || 'value'}: ${v} is not an integer`);
    out.push(`${pad}<integer>${v}</integer>`);
  } else if (v instanceof Uint8Array) out.push(`${pad}<data>${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}</data>`);
  else if (Array.isArray(v)) {
    if (v.length === 0) out.push(`${pad}<array/>`);
    else {
      out.push(`${pad}<array>`);
      v.forEach((x, i) => writeValue(x, depth + 1, out, `${path}[${i}]`));
      out.push(`${pad}</array>`);
    }
  } else {
    const keys = Object.keys(v);
    if (keys.length === 0) out.push(`${pad}<dict/>`);
    else {
      out.push(`${pad}<dict>`);
      for (const k of keys) {
        out.push(`${pad}\t<key>${escapeXml(k, path)}</key>`);
        writeValue(v[k]!, depth + 1, out, path ? `${path}/${k}` : k);
      }
      out.push(`${pad}</dict>`);
    }
  }
}

function escapeXml(s: string, path: string): string {
  // XML 1.0 cannot carry most control characters at all, escaped or not.
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s)) {
    throw new Error(`plist ${path || 'value'}: a control character cannot be written in XML`);
  }
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
