// The UEFI section of OpenCore's config.plist: drivers, APFS, input and output.
import type { PlistDict } from '../plist-xml';
import { OPENCORE_DRIVERS } from '../release';

export function uefi({ oldApfs, width, height }: { oldApfs: boolean; width: number; height: number }): PlistDict {
  return {
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
  };
}
