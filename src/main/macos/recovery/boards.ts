// The recovery request Guestbay sends Apple for each macOS release (POST
// /InstallationPayload/RecoveryImage: bid, sn, os), and the alternatives other public tools
// send. Protocol facts for the main process alone: the renderer never needs them.
// docs/macos-releases.md explains the choices and where the sources disagree.
//
// Sources, by short name (as in src/shared/os/macos-releases.ts):
//   OC-URLS   acidanthera/OpenCorePkg Utilities/macrecovery/recovery_urls.txt (board + MLB + os per release)
//   OC-BOARDS acidanthera/OpenCorePkg Utilities/macrecovery/boards.json (newest release each board gets)
//   OC-PY     acidanthera/OpenCorePkg Utilities/macrecovery/macrecovery.py (protocol, os=default|latest)
//   KVM-FETCH kholia/OSX-KVM fetch-macOS-v2.py (its board per release)
//   QG        quickemu-project/quickemu quickget (get_macos board IDs)
//   DOCKUR    dockur/macos src/install.sh (its boards)
import { macosRelease, type MacosReleaseKey } from '../../../shared/os/macos-releases';

export interface RecoveryRequest {
  boardId: string;
  mlb: string;
  osType: 'default' | 'latest';
}

/** 17 zeros: the anonymous MLB ("sn"). OC-PY: MLB_ZERO. */
const MLB_ZERO = '00000000000000000';

const SRC = {
  ocUrls: 'acidanthera/OpenCorePkg Utilities/macrecovery/recovery_urls.txt',
  kvmFetch: 'kholia/OSX-KVM fetch-macOS-v2.py',
  qg: 'quickemu-project/quickemu quickget',
  dockurInstall: 'dockur/macos src/install.sh',
} as const;

/** Guestbay's request per release, and the one-line reason for it. */
export const RECOVERY_REQUESTS: Readonly<Record<MacosReleaseKey, RecoveryRequest & { reason: string }>> = {
  // High Sierra. OC-URLS lists two boards with the product MLB …J80300: Mac-7BA5B2D9E42DDD94
  // (first; iMacPro1,1, also KVM-FETCH) and Mac-BE088AF8C5EB4FA2 (QG). The MLB, not the board,
  // selects the oldest release for that product (OC-PY selfcheck pseudo-code), so both give
  // 10.13. Chose OpenCorePkg's first line; the other is in ALTERNATIVE_RECOVERY_REQUESTS.
  'high-sierra': {
    boardId: 'Mac-7BA5B2D9E42DDD94',
    mlb: '00000000000J80300',
    osType: 'default',
    reason: 'board Mac-7BA5B2D9E42DDD94 with product MLB …J80300 (OpenCorePkg recovery_urls.txt, first of two; OSX-KVM agrees)',
  },
  // Mojave. All of OC-URLS, KVM-FETCH and QG agree.
  mojave: {
    boardId: 'Mac-7BA5B2DFE22DDD8C',
    mlb: '00000000000KXPG00',
    osType: 'default',
    reason: 'board Mac-7BA5B2DFE22DDD8C with product MLB …KXPG00 (OpenCorePkg, OSX-KVM and quickget agree)',
  },
  // Catalina. OC-URLS also lists Mac-CFF7D910A743CAAF + …PHCD00; every other source uses this one.
  catalina: {
    boardId: 'Mac-00BE6ED71E35EB86',
    mlb: MLB_ZERO,
    osType: 'default',
    reason: 'board Mac-00BE6ED71E35EB86, anonymous MLB (OpenCorePkg, OSX-KVM, quickget, dockur agree)',
  },
  'big-sur': {
    boardId: 'Mac-2BD1B31983FE1663',
    mlb: MLB_ZERO,
    osType: 'default',
    reason: 'board Mac-2BD1B31983FE1663, anonymous MLB (all sources agree; boards.json: newest 11.7.x)',
  },
  // Monterey. OC-URLS: Mac-E43C1C25D4880AD6, os default. KVM-FETCH, QG and DOCKUR:
  // Mac-B809C3757DA9BB8D with os=latest. OC-BOARDS gives both boards 12.7.6 as newest, and with
  // the all-zero MLB the server answers default and latest alike (OC-PY selfcheck), so both
  // requests fetch Monterey. Chose OpenCorePkg (it implements and documents the protocol).
  monterey: {
    boardId: 'Mac-E43C1C25D4880AD6',
    mlb: MLB_ZERO,
    osType: 'default',
    reason: 'board Mac-E43C1C25D4880AD6, os=default (OpenCorePkg); OSX-KVM/quickget/dockur send Mac-B809C3757DA9BB8D with os=latest, same 12.7.x',
  },
  // Ventura. OC-URLS: Mac-B4831CEBD52A0C4C, os default; KVM-FETCH/QG/DOCKUR: Mac-4B682C642B45593E
  // with os=latest; both 13.7.8 in OC-BOARDS. Same reasoning as Monterey.
  ventura: {
    boardId: 'Mac-B4831CEBD52A0C4C',
    mlb: MLB_ZERO,
    osType: 'default',
    reason: 'board Mac-B4831CEBD52A0C4C, os=default (OpenCorePkg); OSX-KVM/quickget/dockur send Mac-4B682C642B45593E with os=latest, same 13.7.x',
  },
  sonoma: {
    boardId: 'Mac-827FAC58A8FDFA22',
    mlb: MLB_ZERO,
    osType: 'default',
    reason: 'board Mac-827FAC58A8FDFA22, anonymous MLB (all sources agree; boards.json: newest 14.8.x)',
  },
  // Sequoia. OC-URLS, KVM-FETCH, QG: Mac-7BA5B2D9E42DDD94 (the High Sierra board, but with the
  // anonymous MLB the server returns the board's newest: 15.7.x per OC-BOARDS). DOCKUR uses
  // Mac-937A206F2EE63C01, also 15.7.x in OC-BOARDS.
  sequoia: {
    boardId: 'Mac-7BA5B2D9E42DDD94',
    mlb: MLB_ZERO,
    osType: 'default',
    reason: 'board Mac-7BA5B2D9E42DDD94 (iMac Pro), anonymous MLB: newest for it is 15.7.x (OpenCorePkg, OSX-KVM, quickget; dockur uses Mac-937A206F2EE63C01)',
  },
  // Tahoe (macOS 26). OC-URLS, KVM-FETCH, QG and DOCKUR all use Mac-CFF7D910A743CAAF with
  // os=latest; OC-BOARDS marks that board "latest". Tahoe is the last macOS for Intel Macs, so
  // this Intel board keeps getting 26.x.
  tahoe: {
    boardId: 'Mac-CFF7D910A743CAAF',
    mlb: MLB_ZERO,
    osType: 'latest',
    reason: 'board Mac-CFF7D910A743CAAF with os=latest (OpenCorePkg, OSX-KVM, quickget, dockur all agree)',
  },
};

/** Other requests public tools send for the same release: a fallback if Apple rejects ours. */
export const ALTERNATIVE_RECOVERY_REQUESTS: Readonly<Partial<Record<MacosReleaseKey, readonly (RecoveryRequest & { source: string })[]>>> = {
  'high-sierra': [{ boardId: 'Mac-BE088AF8C5EB4FA2', mlb: '00000000000J80300', osType: 'default', source: `${SRC.ocUrls} (second line); ${SRC.qg}` }],
  catalina: [{ boardId: 'Mac-CFF7D910A743CAAF', mlb: '00000000000PHCD00', osType: 'default', source: SRC.ocUrls }],
  monterey: [{ boardId: 'Mac-B809C3757DA9BB8D', mlb: MLB_ZERO, osType: 'latest', source: `${SRC.kvmFetch}; ${SRC.qg}; ${SRC.dockurInstall}` }],
  ventura: [{ boardId: 'Mac-4B682C642B45593E', mlb: MLB_ZERO, osType: 'latest', source: `${SRC.kvmFetch}; ${SRC.qg}; ${SRC.dockurInstall}` }],
  sequoia: [{ boardId: 'Mac-937A206F2EE63C01', mlb: MLB_ZERO, osType: 'latest', source: SRC.dockurInstall }],
};

/** The board ID, MLB and os type Guestbay sends for a release (key or version), or undefined. */
export function recoveryRequest(release: string): RecoveryRequest | undefined {
  const r = macosRelease(release);
  if (!r) return undefined;
  const { boardId, mlb, osType } = RECOVERY_REQUESTS[r.key];
  return { boardId, mlb, osType };
}
