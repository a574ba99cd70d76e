// The Misc section of OpenCore's config.plist: the picker, logging and security policy.
import type { PlistDict } from '../plist-xml';

export function misc({ installed, timeout }: { installed: boolean; timeout: number }): PlistDict {
  return {
    BlessOverride: [],
    Boot: {
      ConsoleAttributes: 0,
      HibernateMode: 'None',
      HibernateSkipsPicker: false,
      // Recovery entries count as auxiliary, and the installer is one: hiding them would hide
      // "macOS Base System" from a first install. Once installed, only the disk is offered.
      HideAuxiliary: installed,
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
  };
}
