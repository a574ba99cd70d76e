// `guestbay usb`: the USB devices plugged into this host, by vendor:product and by port;
// `guestbay usb attach|detach NAME VENDOR:PRODUCT|BUS-PORT`: pass one to a guest, or a port
// (whatever is plugged in there, now or later), at once when the guest runs (QMP device_add /
// device_del), kept in vm.json either way. The same editor calls as the app's.
import { parseUsbEntry, SettingError } from '../../../shared/settings-keys';
import { ConfigError } from '../../../shared/vm-config';
import { listUsbDevices } from '../../host/usb';
import { parse, printEdit, withEditor, type Command } from '../common';
import { json, UsageError } from '../output';

export const usb: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 3);
  const [action, name, spec] = positionals;
  if (action === 'attach' || action === 'detach') {
    if (!name || !spec) throw new UsageError(`usage: guestbay usb ${action} NAME VENDOR:PRODUCT|BUS-PORT (guestbay usb lists both)`);
    let entry;
    try {
      entry = parseUsbEntry('usb', spec);
    } catch (err) {
      if (err instanceof SettingError) throw new ConfigError([{ field: 'usb', message: err.message }]);
      throw err;
    }
    const r = await withEditor(e, (editor) => {
      if (entry.port) return action === 'attach' ? editor.usbAttachPort(name, { port: entry.port }) : editor.usbDetachPort(name, { port: entry.port });
      return action === 'attach' ? editor.usbAttach(name, entry) : editor.usbDetach(name, entry);
    });
    if (values.json) return json(e.io, { config: r.config, revision: r.revision, appliedLive: r.appliedLive, pending: r.pending, warnings: r.warnings }), 0;
    printEdit(e, name, r);
    return 0;
  }
  if (action !== undefined && action !== 'list') throw new UsageError(`unknown usb action "${action}": list, attach or detach`);
  if (name) throw new UsageError(`unexpected argument "${name}"`);
  const devices = await listUsbDevices();
  if (values.json) return json(e.io, devices), 0;
  const usable = devices.filter((d) => !d.hub);
  if (usable.length === 0) e.io.out('No USB devices are plugged into this computer (hubs aside).');
  for (const d of usable) e.io.out(`${d.vendorId}:${d.productId}\t${d.label}\tport ${d.port} (bus ${d.bus}, device ${d.device})`);
  if (usable.length) e.io.out('\nPass one to a guest: guestbay usb attach NAME VENDOR:PRODUCT, or its port: guestbay usb attach NAME BUS-PORT');
  return 0;
};
