// The host and what can be made on it: the probe and the presets, each with its OS's traits
// and the settings it makes on this machine (sized as a create here would size them).
import { PRESETS } from '../../shared/presets';
import { freeSpace } from '../host/free-space';
import { listUsbDevices } from '../host/usb';
import { describePreset } from '../../shared/presets/describe';
import { thisHost } from '../vm/create';
import type { ApiContext, Handlers } from './context';

export function hostHandlers({ deps }: ApiContext): Handlers<'host.probe' | 'host.usbDevices' | 'host.freeSpace' | 'presets.list'> {
  return {
    'host.probe': (i) => deps.probe({ refresh: i.refresh }),
    'host.usbDevices': () => (deps.hostUsb ?? (() => listUsbDevices()))(),
    'host.freeSpace': (i) => freeSpace(i.path ?? deps.store.paths.vms),
    'presets.list': async () => {
      // This machine's threads and memory, read as the probe reads them (the wizard asks this
      // first, so it does not wait for the whole probe; create sizes from the same numbers).
      const host = await thisHost();
      return PRESETS.map((p) => describePreset(p, host));
    },
  };
}
