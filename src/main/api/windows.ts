// The guided first Windows guest: the host's preflight, the user's ISO read, where virtio-win
// comes from, and the preparation (run by WindowsJobs, followed through `windows.job` events).
import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { parseSize } from '../../shared/size';
import { ConfigError } from '../../shared/vm-config';
import { VIRTIO_WIN_PIN } from '../download/pins';
import { firstSeen } from '../download/trust';
import { pickEdition, recognizeWindowsIso } from '../windows/iso/recognize';
import type { WindowsJobs } from '../windows/jobs';
import { windowsPreflightFor } from '../windows/prepare';
import { downloadsCacheDir } from '../windows/virtio-win';
import type { ApiContext, Handlers } from './context';

type WindowsCalls = 'windows.preflight' | 'windows.inspect' | 'windows.virtioWin' | 'windows.prepare' | 'windows.jobs' | 'windows.cancel';

/** The Windows presets' system disk when none is asked for (presets/windows.ts). */
const DEFAULT_DISK_GIB = 80;

export function windowsHandlers({ deps, home }: ApiContext, jobs: WindowsJobs): Handlers<WindowsCalls> {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(home, p));
  return {
    'windows.preflight': async ({ version, diskSize, bypassRequirements }) => {
      let diskGiB = DEFAULT_DISK_GIB;
      if (diskSize) {
        const s = parseSize(diskSize);
        if (!s.ok) throw new ConfigError([{ field: 'diskSize', message: s.error }]);
        diskGiB = Math.floor(s.bytes / 2 ** 30);
      }
      return windowsPreflightFor(deps.store, await deps.probe(), { version, diskGiB, bypassRequirements: bypassRequirements === true });
    },
    'windows.inspect': async ({ path, edition }) => {
      const info = await recognizeWindowsIso(abs(path)).catch((e: Error) => {
        throw new ConfigError([{ field: 'iso', message: e.message }]);
      });
      const p = pickEdition(info, edition);
      return { ...info, picked: 'error' in p ? null : p };
    },
    'windows.virtioWin': async () => {
      const pin = deps.windowsSources?.virtioWinPin ?? VIRTIO_WIN_PIN;
      const dir = downloadsCacheDir(deps.env);
      const seen = await firstSeen(dir, pin.file);
      return {
        version: pin.version,
        url: deps.windowsSources?.virtioWinUrl ?? pin.url,
        sha256: pin.sha256,
        firstSeen: seen ? { sha256: seen.sha256, at: seen.at } : null,
        cached: await stat(join(dir, pin.file)).then((s) => s.isFile(), () => false),
      };
    },
    'windows.prepare': (i) =>
      jobs.start({
        ...i,
        ...(i.iso ? { iso: abs(i.iso) } : {}),
        ...(i.virtioWin ? { virtioWin: abs(i.virtioWin) } : {}),
        ...(i.shares ? { shares: i.shares.map(abs) } : {}),
      }),
    'windows.jobs': async () => jobs.list(),
    'windows.cancel': ({ name }) => jobs.cancel(name),
  };
}
