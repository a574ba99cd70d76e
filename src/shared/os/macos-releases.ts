// macOS releases Guestbay can install: the QEMU devices and guest CPU that each one runs
// with, and what it needs of the host. The recovery request that fetches each one from Apple
// (board IDs, MLBs) and Apple's signing key are main-process facts:
// src/main/macos/recovery/boards.ts and apple-key.ts.
//
// Pure data. No Node or DOM APIs (this is src/shared). Every fact below was checked against
// the public sources named next to it (snapshots read in 2026). docs/macos-releases.md
// explains the choices and the places where the sources disagree.
//
// Sources, by short name:
//   OC-URLS   acidanthera/OpenCorePkg Utilities/macrecovery/recovery_urls.txt (board + MLB + os per release)
//   OC-BOARDS acidanthera/OpenCorePkg Utilities/macrecovery/boards.json (newest release each board gets)
//   OC-PY     acidanthera/OpenCorePkg Utilities/macrecovery/macrecovery.py (protocol, os=default|latest, RSA key)
//   OC-LOG    acidanthera/OpenCorePkg Changelog.md (macOS 26 fixes in 1.0.5 and 1.0.7)
//   KVM-FETCH kholia/OSX-KVM fetch-macOS-v2.py (its board per release)
//   KVM-BOOT  kholia/OSX-KVM OpenCore-Boot.sh (Penryn + flags, qemu-xhci input, vmware-svga, NICs)
//   KVM-NOTES kholia/OSX-KVM notes.md (Haswell-noTSX for Sonoma on Ryzen, power-of-two cores, virtio-blk)
//   KVM-README kholia/OSX-KVM README.md (SSE4.1 >= Sierra, AVX2 >= Ventura, QEMU >= 8.2.2, Ryzen fine)
//   KVM-PLIST kholia/OSX-KVM OpenCore/config.plist (cpufamily patches limited to kernels 17.0.0-23.99.99)
//   QE        quickemu-project/quickemu quickemu (macOS CPU, NIC, disk bus, USB, display, cores, RAM)
//   QG        quickemu-project/quickemu quickget (get_macos board IDs; 128G disk; Monterey cpu_cores=2)
//   DOCKUR    dockur/macos src/cpu.sh, src/install.sh, readme.md (per-release CPU model without any
//             OpenCore CPU patch; its boards; AMD RAM/core advice; Tahoe "runs very slow")
//   DOCKER-OSX sickcodes/Docker-OSX README.md (Haswell-noTSX for Sonoma, Sequoia and Tahoe)

import type { DiskBus, DisplayDevice, NicModel } from '../vm-config';

export type MacosReleaseKey =
  | 'high-sierra'
  | 'mojave'
  | 'catalina'
  | 'big-sur'
  | 'monterey'
  | 'ventura'
  | 'sonoma'
  | 'sequoia'
  | 'tahoe';

export interface CpuChoice {
  /** QEMU -cpu model name. */
  model: string;
  /** Properties appended after the model, comma-joined: '+feat', '-feat', 'key=value'. */
  flags: string[];
}

export interface MacosRelease {
  key: MacosReleaseKey;
  name: string;
  /** Marketing version: '10.13' … '15', '26'. */
  version: string;
  diskBus: DiskBus;
  nic: NicModel;
  /** Host CPU features the release requires (the guest model can't invent what KVM lacks). */
  needs: { sse42: boolean; avx2: boolean };
  cpu: { intelHost: CpuChoice; amdHost: CpuChoice };
  display: DisplayDevice;
  /** macOS boots reliably only with a power-of-two core count. */
  maxCoresPowerOfTwo: boolean;
  minMemoryMiB: number;
  recommendedMemoryMiB: number;
  recommendedDiskGiB: number;
  /**
   * The Mac model (SMBIOS SystemProductName) a new guest of this release gets: one Apple
   * supports for it. Its serial rules are in src/main/macos/identity.ts (MAC_MODELS).
   */
  macModel: 'iMacPro1,1' | 'iMac20,1';
  /**
   * Its APFS driver predates OpenCore's default minimum (Big Sur's, 2021-01-01), so OpenCore
   * must be told to load an older one (UEFI/APFS MinDate and MinVersion -1).
   */
  oldApfsDriver: boolean;
  /** The release the guided setup offers first: the best-trodden under QEMU. */
  recommended: boolean;
  /** Honest note on how well it runs under QEMU/KVM on AMD and Intel hosts. */
  qemuNote: string;
  /** One line per choice, for the UI: diskBus, nic, needs, cpu, usb, display, cores, memory, disk. */
  reasons: Record<string, string>;
  /** repo + path of the facts. */
  sources: string[];
}

const SRC = {
  ocUrls: 'acidanthera/OpenCorePkg Utilities/macrecovery/recovery_urls.txt',
  ocBoards: 'acidanthera/OpenCorePkg Utilities/macrecovery/boards.json',
  ocPy: 'acidanthera/OpenCorePkg Utilities/macrecovery/macrecovery.py',
  ocLog: 'acidanthera/OpenCorePkg Changelog.md',
  kvmFetch: 'kholia/OSX-KVM fetch-macOS-v2.py',
  kvmBoot: 'kholia/OSX-KVM OpenCore-Boot.sh',
  kvmNotes: 'kholia/OSX-KVM notes.md',
  kvmReadme: 'kholia/OSX-KVM README.md',
  kvmPlist: 'kholia/OSX-KVM OpenCore/config.plist',
  kvmNet: 'kholia/OSX-KVM networking-qemu-kvm-howto.txt',
  qe: 'quickemu-project/quickemu quickemu',
  qg: 'quickemu-project/quickemu quickget',
  dockurCpu: 'dockur/macos src/cpu.sh',
  dockurInstall: 'dockur/macos src/install.sh',
  dockurReadme: 'dockur/macos readme.md',
  dockerOsx: 'sickcodes/Docker-OSX README.md',
} as const;

// ---- Guest CPU -------------------------------------------------------------------------
// Guestbay sets the guest CPU itself and does not count on a shared OpenCore config's
// one-size CPU handling. OSX-KVM's config.plist forces CPUFAMILY_INTEL_PENRYN with kernel
// patches that stop at kernel 23.99.99 (Sonoma), which is why OSX-KVM can boot High Sierra to
// Sonoma on `-cpu Penryn` (KVM-PLIST, KVM-BOOT); quickemu reuses that image, so its Haswell-v2
// results also lean on the patch up to Sonoma (QE, QG). Without the patch the model itself
// must be one macOS recognises, so Guestbay follows dockur/macos, whose OpenCore config has no
// cpufamily patch (DOCKUR src/cpu.sh, assets/config.plist):
//   AMD host, Catalina…Ventura: Haswell-noTSX (= QEMU's Haswell-v2; also quickemu's model).
//   AMD host, Sonoma and later: Skylake-Client-v4 (dockur PR #341 "Use Skylake CPU model for
//     macOS 14+ on AMD", Oct 2025). Disagreement: OSX-KVM notes.md and Docker-OSX use
//     Haswell-noTSX for Sonoma (Docker-OSX also for Sequoia/Tahoe); quickemu Haswell-v2 for all;
//     OSX-KVM's script default stays Penryn + patch. Haswell-noTSX is the documented fallback.
//   High Sierra and Mojave are not covered by dockur: Haswell-noTSX is an inference (Haswell
//     Macs ran both natively, and quickemu uses Haswell-v2 for them), not a tested unpatched boot.
//   Intel host: dockur uses Skylake-Client-v4 for every release instead of `host`; quickemu
//     passes `host,-pdpe1gb,+hypervisor,vmware-cpuid-freq=on`; OSX-KVM notes.md calls host
//     passthrough "troublesome". A named model avoids showing macOS a CPU it may not know
//     (e.g. hybrid Alder Lake and later: our reasoning, not tested), so Guestbay uses it.
// Flags, all sources: vendor=GenuineIntel (AMD), vmware-cpuid-freq=on (TSC frequency via the
// VMware leaf; QEMU only publishes it when the TSC is invariant, hence +invtsc: KVM-BOOT,
// DOCKER-OSX, QE), -pdpe1gb (no 1 GiB pages: QE, DOCKUR), check (warn on features KVM lacks:
// KVM-BOOT, DOCKUR). +invtsc blocks savevm/migration unless tsc-frequency is given.
const BASE_FLAGS = ['+invtsc', 'vmware-cpuid-freq=on', '-pdpe1gb', 'check'];
const AMD_FLAGS = ['vendor=GenuineIntel', ...BASE_FLAGS];

const HASWELL_AMD: CpuChoice = { model: 'Haswell-noTSX', flags: AMD_FLAGS };
const SKYLAKE_AMD: CpuChoice = { model: 'Skylake-Client-v4', flags: AMD_FLAGS };
const SKYLAKE_INTEL: CpuChoice = { model: 'Skylake-Client-v4', flags: BASE_FLAGS };

// ---- Shared one-line reasons ------------------------------------------------------------
const R = {
  sata: 'SATA (AHCI): quickemu notes virtio-blk does not work in High Sierra at all or in the Mojave recovery image',
  virtio: 'virtio-blk works from Catalina on (quickemu; dockur uses it for Catalina+); faster than SATA',
  vmxnet3:
    'vmxnet3 has a macOS driver in every release here; quickemu keeps it until Catalina, while OSX-KVM uses virtio-net from Mojave (sources disagree), so the safe one',
  virtioNet: 'virtio-net works from Big Sur on (quickemu, OSX-KVM, dockur all use it)',
  usb: 'keyboard and tablet on qemu-xhci: OSX-KVM moved to it after USB input died on EHCI with macOS 14.4; it works back to High Sierra',
  display: 'vmware-svga: what OSX-KVM, quickemu and dockur use; no GPU acceleration either way (vgamem_mb=256 per quickemu)',
  cores: 'power-of-two core counts only: other counts hang at boot (OSX-KVM notes.md, quickemu rounds down, dockur refuses others)',
  memory: '4 GiB is what OSX-KVM and dockur boot with; quickemu refuses less than 8 GiB, so 8 GiB is recommended',
  disk: '128 GiB as quickget creates (sparse qcow2); dockur defaults to 64 GiB, OSX-KVM suggests 256 GiB',
  cpuHaswell:
    'Haswell-noTSX (Intel model, vendor=GenuineIntel on AMD): a CPU family macOS knows without an OpenCore cpufamily patch (dockur, quickemu)',
  cpuSkylake:
    'Skylake-Client-v4 (IBRS, XSAVES, no TSX): dockur switched AMD hosts to it for macOS 14+; Haswell-noTSX is the fallback others use',
} as const;

function needsReason(sse42: boolean, avx2: boolean): string {
  if (avx2) return 'needs AVX2 and SSE4.2 on the host: Ventura and later will not boot without AVX2 (OSX-KVM README, quickemu refuses)';
  if (sse42) return 'needs SSE4.2 on the host from Catalina on (quickemu); AVX2 not needed before Ventura';
  return 'needs SSE4.1 on the host (Sierra and later, OSX-KVM README); no SSE4.2 or AVX2 requirement';
}

interface Row {
  key: MacosReleaseKey;
  name: string;
  version: string;
  qemuNote: string;
  extraSources?: string[];
  recommended?: boolean;
}

const COMMON_SOURCES = [SRC.ocUrls, SRC.ocBoards, SRC.ocPy, SRC.kvmBoot, SRC.kvmNotes, SRC.kvmReadme, SRC.qe, SRC.qg];

function release(row: Row): MacosRelease {
  const idx = ORDER.indexOf(row.key);
  const atLeast = (k: MacosReleaseKey): boolean => idx >= ORDER.indexOf(k);
  const sse42 = atLeast('catalina');
  const avx2 = atLeast('ventura');
  const diskBus = atLeast('catalina') ? 'virtio' : 'sata';
  const nic = atLeast('big-sur') ? 'virtio-net' : 'vmxnet3';
  const amdHost = atLeast('sonoma') ? SKYLAKE_AMD : HASWELL_AMD;
  return {
    key: row.key,
    name: row.name,
    version: row.version,
    diskBus,
    nic,
    needs: { sse42, avx2 },
    cpu: { intelHost: SKYLAKE_INTEL, amdHost },
    display: 'vmware-svga',
    maxCoresPowerOfTwo: true,
    minMemoryMiB: 4096,
    recommendedMemoryMiB: 8192,
    recommendedDiskGiB: 128,
    // Apple dropped the iMac Pro in macOS 26; the iMac (2020) is supported there.
    macModel: atLeast('tahoe') ? 'iMac20,1' : 'iMacPro1,1',
    oldApfsDriver: !atLeast('big-sur'),
    recommended: row.recommended ?? false,
    qemuNote: row.qemuNote,
    reasons: {
      diskBus: diskBus === 'virtio' ? R.virtio : R.sata,
      nic: nic === 'virtio-net' ? R.virtioNet : R.vmxnet3,
      needs: needsReason(sse42, avx2),
      cpu: amdHost === SKYLAKE_AMD ? R.cpuSkylake : R.cpuHaswell,
      usb: R.usb,
      display: R.display,
      cores: R.cores,
      memory: R.memory,
      disk: R.disk,
    },
    sources: [...COMMON_SOURCES, SRC.dockurCpu, SRC.dockurInstall, ...(row.extraSources ?? [])],
  };
}

const ORDER: readonly MacosReleaseKey[] = ['high-sierra', 'mojave', 'catalina', 'big-sur', 'monterey', 'ventura', 'sonoma', 'sequoia', 'tahoe'];

const AMD_TSC =
  'On AMD, Ventura and later freeze or reboot-loop unless the host clocksource is tsc (quickemu warns; fix: tsc=reliable on the host kernel command line).';
const AMD_SIZE =
  'dockur advises AMD users to install with one core and at most 8 GiB (installs froze at Country Selection above that), adding cores only once it runs reliably.';
const MSRS = 'The host needs kvm.ignore_msrs=1 (OSX-KVM kvm.conf).';

export const MACOS_RELEASES: readonly MacosRelease[] = [
  release({
    key: 'high-sierra',
    name: 'macOS High Sierra',
    version: '10.13',
    qemuNote:
      `Old and well trodden: OSX-KVM tested 10.13.6, on SATA disks and vmxnet3 (no virtio drivers it can install from). ` +
      `Apple no longer signs updates, and the App Store and Safari are dated. On AMD Guestbay's Haswell-noTSX model without a ` +
      `cpufamily patch is inferred, not tested by any source. quickget no longer offers High Sierra. ${MSRS}`,
  }),
  release({
    key: 'mojave',
    name: 'macOS Mojave',
    version: '10.14',
    qemuNote:
      `Runs well on Intel and AMD (OSX-KVM tested 10.14.6). Its recovery image cannot see virtio-blk disks, so the disk is SATA. ` +
      `The last release with 32-bit app support. As with High Sierra, the unpatched Haswell-noTSX model on AMD is inferred. ${MSRS}`,
  }),
  release({
    key: 'catalina',
    name: 'macOS Catalina',
    version: '10.15',
    qemuNote:
      `Runs well on Intel and AMD; the first release that installs onto virtio-blk. dockur covers it with Haswell-noTSX on AMD ` +
      `and no OpenCore CPU patch. 9p shared folders (mount_9p) work from 10.15.6. ${MSRS}`,
  }),
  release({
    key: 'big-sur',
    name: 'macOS Big Sur',
    version: '11',
    qemuNote:
      `Runs well on Intel and AMD with virtio disk and network (and virtio-balloon, per quickemu). Setup Assistant can sit at ` +
      `Country Selection for a long time: wait (OSX-KVM README). quickemu suggests Big Sur or Monterey to AMD laptops whose TSC is unstable. ${MSRS}`,
  }),
  release({
    key: 'monterey',
    name: 'macOS Monterey',
    version: '12',
    qemuNote:
      `Runs on Intel and AMD, but users report hangs at boot with more than one core (quickemu issues #438 and #529; a later ` +
      `report, #1537, ties it to AMD; quickget writes cpu_cores=2 for Monterey). Start with 1–2 cores and raise later. ${MSRS}`,
  }),
  release({
    key: 'ventura',
    name: 'macOS Ventura',
    version: '13',
    qemuNote:
      `The first release that needs AVX2 on the host (Haswell or Zen and newer). Runs well on Intel. ${AMD_TSC} ` +
      `${AMD_SIZE} ${MSRS}`,
  }),
  release({
    key: 'sonoma',
    name: 'macOS Sonoma',
    version: '14',
    // OSX-KVM's recommended release; Tahoe, the newest, is young under QEMU (see its note).
    recommended: true,
    qemuNote:
      `OSX-KVM's recommended release. Needs USB input on XHCI (EHCI input died with 14.4). On AMD the CPU model is the weak ` +
      `spot: Guestbay uses Skylake-Client-v4 (dockur); OSX-KVM reports Haswell-noTSX working on a Ryzen 9 5900HS, so that is the ` +
      `fallback. ${AMD_TSC} ${AMD_SIZE} ${MSRS}`,
    extraSources: [SRC.dockerOsx],
  }),
  release({
    key: 'sequoia',
    name: 'macOS Sequoia',
    version: '15',
    qemuNote:
      `Beyond the OSX-KVM cpufamily patch's range (kernel 24): the guest CPU model alone must be right, which is why Guestbay ` +
      `sets it. OSX-KVM calls its support "partial". Signing in to an Apple Account in a VM needs the VMM flag hidden ` +
      `(dockur bundles VMHide.kext) on top of a unique serial. ${AMD_TSC} ${AMD_SIZE} ${MSRS}`,
    extraSources: [SRC.dockerOsx, SRC.dockurReadme, SRC.kvmPlist],
  }),
  // Tahoe (macOS 26), the last macOS for Intel Macs. Special needs: OpenCore 1.0.5+
  // (kext injection fixed for macOS 26; 1.0.7 improved XhciPortLimit for it: OC-LOG); OSX-KVM's
  // Tahoe support is a "[WIP]" commit that only updated OpenCore binaries.
  release({
    key: 'tahoe',
    name: 'macOS Tahoe',
    version: '26',
    qemuNote:
      `The last macOS for Intel Macs. Needs OpenCore 1.0.5 or newer (macOS 26 kext injection fix). Young under QEMU: OSX-KVM's ` +
      `support is work in progress and dockur says it "runs very slow for some unknown reason", so it is not the default. The ` +
      `Sequoia notes (CPU model, Apple Account) apply. ${AMD_TSC} ${MSRS}`,
    extraSources: [SRC.ocLog, SRC.dockurReadme, SRC.dockerOsx],
  }),
];

export function macosRelease(key: string): MacosRelease | undefined {
  const k = key.trim().toLowerCase();
  return MACOS_RELEASES.find((r) => r.key === k || r.version === k);
}
