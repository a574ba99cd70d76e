// The PlatformInfo section of OpenCore's config.plist: the guest's Mac identity (SMBIOS).
import type { MacIdentity } from '../../identity';
import type { PlistDict } from '../plist-xml';

export function platformInfo(id: MacIdentity): PlistDict {
  return {
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
  };
}
