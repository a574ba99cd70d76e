// The app's passthrough calls, over the same functions as the CLI's `guestbay iommu` and
// `looking-glass` (no copy): the IOMMU report, the host's evdev keyboards and mice, a guest's
// passthrough prerequisites with their fixes, and Looking Glass's client. Where they read the
// host (sysfs, /dev, PATH) is `deps.passthroughHost`: tests and `serve` under
// GUESTBAY_TEST_HOST_ROOT point it at a fixture tree.
import { listInputDevices } from '../host/input-devices';
import { resolveContext, type ProbeOptions } from '../host/options';
import { iommuReport } from '../passthrough/iommu-report';
import { findLookingGlassClient, launchLookingGlass, LOOKING_GLASS_INSTALL } from '../passthrough/looking-glass-client';
import { passthroughPreflight } from '../passthrough/prerequisites';
import { GuestStateError } from '../vm/supervisor';
import type { ApiContext, Handlers } from './context';

export function passthroughHandlers({ deps }: ApiContext): Handlers<'host.iommu' | 'host.inputDevices' | 'host.lookingGlassClient' | 'guests.passthroughProblems' | 'guests.lookingGlass'> {
  const host = (): ProbeOptions => ({ env: deps.env, ...deps.passthroughHost });
  return {
    'host.iommu': () => iommuReport(host()),
    'host.inputDevices': () => listInputDevices(resolveContext(host())),
    'host.lookingGlassClient': async () => ({ path: await findLookingGlassClient(host()), install: LOOKING_GLASS_INSTALL }),
    'guests.passthroughProblems': async (i) => passthroughPreflight(await deps.store.get(i.name), { ...host(), ...(deps.hostUsb ? { usb: deps.hostUsb } : {}) }),
    'guests.lookingGlass': async (i) => {
      const config = await deps.store.get(i.name);
      const st = await deps.supervisor.status(i.name);
      // Its frames come from the guest's GPU while it runs; a stopped guest has no shared memory yet.
      if (st.state !== 'running' && st.state !== 'paused') throw new GuestStateError(`"${i.name}" is ${st.state}: Looking Glass shows a guest only while it runs.`);
      return launchLookingGlass(config, host());
    },
  };
}
