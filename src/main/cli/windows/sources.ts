// The command-line flags that point the Windows downloads somewhere other than the Fedora
// project's archive and Microsoft (a mirror, or a test's local server), read and checked once
// for every command that takes them: `windows prepare` and `serve`.
import { VIRTIO_WIN_PIN } from '../../download/pins';
import type { WindowsSources } from '../../windows/prepare';
import { checkServerUrl } from '../macos/sources';
import { UsageError } from '../output';

export interface WindowsSourceFlags {
  'microsoft-server'?: string;
  'virtio-win-url'?: string;
  'virtio-win-sha256'?: string;
}

/** For parseArgs: the flags as options. */
export const WINDOWS_SOURCE_OPTIONS = {
  // A stand-in for www.microsoft.com and vlscppe.microsoft.com (tests, a mirror).
  'microsoft-server': { type: 'string' },
  // A mirror or a test's stand-in for the Fedora project's archive, with the hash it must have.
  'virtio-win-url': { type: 'string' },
  'virtio-win-sha256': { type: 'string' },
} as const;

export function windowsSourcesFromFlags(v: WindowsSourceFlags): WindowsSources {
  const sha = v['virtio-win-sha256'];
  if (sha !== undefined && !/^([0-9a-f]{64}|tofu)$/i.test(sha)) throw new UsageError('--virtio-win-sha256 is 64 hex digits, or "tofu" to trust the first download');
  if (v['virtio-win-url'] !== undefined && sha === undefined) throw new UsageError('--virtio-win-url and --virtio-win-sha256 go together');
  const s: WindowsSources = {};
  if (v['virtio-win-url'] !== undefined) {
    s.virtioWinUrl = checkServerUrl('virtio-win-url', v['virtio-win-url']);
    s.virtioWinPin = { ...VIRTIO_WIN_PIN, sha256: sha!.toLowerCase() === 'tofu' ? null : sha!.toLowerCase() };
    s.retryDelayMs = 200;
  }
  if (v['microsoft-server'] !== undefined) {
    const base = checkServerUrl('microsoft-server', v['microsoft-server']);
    s.microsoft = { www: base, vlscppe: base };
    s.retryDelayMs = 200;
  }
  return s;
}
