// `guestbay usb`: the USB devices plugged into this host, by vendor:product, for `set usb+=`.
import { listUsbDevices } from '../../host/usb';
import { parse, type Command } from '../common';
import { json } from '../output';

export const usb: Command = async (e, args) => {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const devices = await listUsbDevices();
  if (values.json) return json(e.io, devices), 0;
  const usable = devices.filter((d) => !d.hub);
  if (usable.length === 0) e.io.out('No USB devices are plugged into this computer (hubs aside).');
  for (const d of usable) e.io.out(`${d.vendorId}:${d.productId}\t${d.label}\tbus ${d.bus}, device ${d.device}`);
  if (usable.length) e.io.out('\nPass one to a guest: guestbay set NAME usb+=VENDOR:PRODUCT');
  return 0;
};
