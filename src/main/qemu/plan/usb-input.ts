// The USB controller (added before anything that plugs into it), host USB devices, keyboard
// and pointer. An absolute pointer (tablet) keeps the host and guest cursors together.
import { opts } from '../qemu-opts';
import { usbHostDeviceId } from './ids';
import { PlanError, type FamilyInput } from './types';

export const USB_BUS = 'usb0.0';

export function addUsbController(i: FamilyInput): void {
  const { config, argv } = i;
  if (config.usb.controller === 'none') return;
  argv.add('-device', opts(config.usb.controller === 'xhci' ? 'qemu-xhci' : 'usb-ehci', { id: 'usb0' }));
}

export function addInputAndUsbDevices(i: FamilyInput): void {
  const { config, argv } = i;
  const usb = config.usb.controller !== 'none';
  const needUsb = (what: string) => {
    if (!usb) throw new PlanError(`${what} needs a USB controller`, 'usb.controller');
  };
  switch (config.input.keyboard) {
    case 'usb':
      needUsb('a USB keyboard');
      argv.add('-device', opts('usb-kbd', { bus: USB_BUS }));
      break;
    case 'virtio':
      argv.add('-device', opts('virtio-keyboard-pci'));
      break;
    case 'ps2':
      break; // the machine's i8042 is always there
  }
  switch (config.input.pointer) {
    case 'usb-tablet':
      needUsb('a USB tablet');
      argv.add('-device', opts('usb-tablet', { bus: USB_BUS }));
      break;
    case 'virtio-tablet':
      argv.add('-device', opts('virtio-tablet-pci'));
      break;
    case 'ps2-mouse':
      break;
  }
  config.usb.hostDevices.forEach((d) => {
    needUsb('passing a USB device through');
    // By vendor:product, so the device is found wherever it is plugged in (and picked up when
    // it is plugged in later); the id lets the running guest unplug it.
    if (d.port) {
      // By port (hostbus/hostport): whatever is plugged in there, now or later.
      argv.add('-device', opts('usb-host', { bus: USB_BUS, hostbus: d.port.bus, hostport: d.port.path, id: usbHostDeviceId(d) }));
      return;
    }
    argv.add('-device', opts('usb-host', { bus: USB_BUS, vendorid: `0x${d.vendorId}`, productid: `0x${d.productId}`, id: usbHostDeviceId(d) }));
  });
}
