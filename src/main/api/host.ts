// The host and what can be made on it: the probe and the presets.
import { PRESETS } from '../../shared/presets';
import { listUsbDevices } from '../host/usb';
import type { ApiContext, Handlers } from './context';

export function hostHandlers({ deps }: ApiContext): Handlers<'host.probe' | 'host.usbDevices' | 'presets.list'> {
  return {
    'host.probe': (i) => deps.probe({ refresh: i.refresh }),
    'host.usbDevices': () => (deps.hostUsb ?? (() => listUsbDevices()))(),
    'presets.list': async () => [...PRESETS],
  };
}
