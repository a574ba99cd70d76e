// The guided first macOS guest: preflight, the preparation (run by MacJobs, followed through
// `macos.job` events), finishing the install, and the one root action the user may ask for.
import { macosRelease, MACOS_RELEASES } from '../../shared/os/macos-releases';
import { ConfigError } from '../../shared/vm-config';
import { finishMacInstall } from '../macos/finish';
import type { MacJobs } from '../macos/jobs';
import { applyIgnoreMsrsNow } from '../macos/preflight';
import { macosPreflightFor } from '../macos/prepare';
import type { ApiContext, Handlers } from './context';

type MacosCalls = 'macos.preflight' | 'macos.prepare' | 'macos.jobs' | 'macos.cancel' | 'macos.finish' | 'macos.fixIgnoreMsrs';

export function macosHandlers({ deps }: ApiContext, jobs: MacJobs): Handlers<MacosCalls> {
  return {
    'macos.preflight': async ({ release }) => {
      const r = macosRelease(release);
      if (!r) throw new ConfigError([{ field: 'release', message: `"${release}" is not a macOS release Guestbay knows: ${MACOS_RELEASES.map((x) => x.key).join(', ')}` }]);
      return macosPreflightFor(deps.store, await deps.probe(), r);
    },
    'macos.prepare': (i) => jobs.start(i),
    'macos.jobs': async () => jobs.list(),
    'macos.cancel': ({ name }) => jobs.cancel(name),
    'macos.finish': ({ name }) => finishMacInstall(deps.store, name, (n) => deps.supervisor.status(n)),
    'macos.fixIgnoreMsrs': async () => {
      // pkexec asks for the password in the desktop's own polkit dialog; nothing runs as root
      // unless the user clicked for exactly this.
      await applyIgnoreMsrsNow();
      return { ok: true as const };
    },
  };
}
