// USB passed by port (issue 19 item 4): `set usb+=BUS-PORT`, the contract's
// guests.usb.attachPort/detachPort and `guestbay usb attach|detach` on a stopped guest, over the
// real API and Store in a private HOME, with a sysfs fixture for the host's USB devices (these
// machines have none). The running side (QEMU taking the port) is test/main/vm/edit.qemu.test.ts.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply, WireError } from '../../../src/shared/contract';
import { listUsbDevices } from '../../../src/main/host/usb';
import { liveOps } from '../../../src/main/vm/edit/live';
import { parseVmConfig } from '../../../src/shared/migrations';
import { buildPreset } from '../../../src/shared/presets';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';

const USB_TREE = join(__dirname, '../../fixtures/host/trees/usb-desktop');

let w: Awaited<ReturnType<typeof apiWorld>>;
beforeAll(async () => {
  w = await apiWorld('gb-usbport-', { hostUsb: () => listUsbDevices({ root: USB_TREE }) });
});
afterAll(() => w.cleanup());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(r: Reply): any {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.name}: ${r.error.message}`);
  return r.output;
}
function failed(r: Reply): WireError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.output)}`);
  return r.error;
}
const vmJson = (name: string) => readFile(w.store.dirs(name).configFile, 'utf8');
const stored = async (name: string) => JSON.parse(await vmJson(name)).usb.hostDevices;

describe('USB by port', () => {
  it('set usb+=BUS-PORT: kept in vm.json as a port entry, in the command as hostbus/hostport; usb-= takes it out', async () => {
    ok(await w.call('guests.create', { preset: 'linux', name: 'p1', diskSize: '1G' }));
    const r = ok(await w.call('guests.set', { name: 'p1', assignments: ['usb+=1-2.3', 'usb+=046d:c52b', 'usb+=3-1'] }));
    expect(r.config.usb.hostDevices).toEqual([
      { vendorId: '0000', productId: '0000', port: { bus: 1, path: '2.3' }, label: 'USB port 1-2.3' },
      { vendorId: '046d', productId: 'c52b' },
      { vendorId: '0000', productId: '0000', port: { bus: 3, path: '1' }, label: 'USB port 3-1' },
    ]);
    expect(await stored('p1')).toHaveLength(3);
    const cmd = ok(await w.call('guests.cmdline', { name: 'p1' })).command as string;
    expect(cmd).toContain('usb-host,bus=usb0.0,hostbus=1,hostport=2.3,id=usbhost-port1-2.3');
    expect(cmd).toContain('usb-host,bus=usb0.0,hostbus=3,hostport=1,id=usbhost-port3-1');
    // Two ports are two entries (both 0000:0000): one goes, the other stays.
    const less = ok(await w.call('guests.set', { name: 'p1', assignments: ['usb-=1-2.3'] }));
    expect(less.config.usb.hostDevices.map((d: { port?: { bus: number } }) => d.port?.bus ?? 'id')).toEqual(['id', 3]);
  });

  it('refuses what is not a port, a port passed twice, and a port not passed, field by field, writing nothing', async () => {
    ok(await w.call('guests.create', { preset: 'linux', name: 'p2', diskSize: '1G' }));
    ok(await w.call('guests.set', { name: 'p2', assignments: ['usb+=2-4'] }));
    const before = await vmJson('p2');
    const cases: [string, RegExp][] = [
      ['usb+=1-0', /^"1-0" is not a USB port: a USB port path is port numbers joined by dots, like 1 or 1\.2 \(BUS-PORT as sysfs names it/],
      ['usb+=1-2..3', /^"1-2\.\.3" is not a USB port: a USB port path is port numbers joined by dots/],
      ['usb+=0-1', /^"0-1" is not a USB port: a USB bus is a number from 1 to 255/],
      ['usb+=300-1', /^"300-1" is not a USB port: a USB bus is a number from 1 to 255/],
      ['usb+=1-', /^A USB port is BUS-PORT as sysfs names it, like 1-2 or 1-2\.3 .*; "1-" is not\.$/],
      ['usb+=1-2:1.0', /^"1-2:1\.0" is not a USB port/],
      ['usb+=logitech', /^A USB device is VENDOR:PRODUCT in hex, like 046d:c52b, or a port, BUS-PORT like 1-2\.3 .*"logitech" is neither\.$/],
      ['usb+=2-4', /^USB port 2-4 is already passed to this guest\.$/],
      ['usb-=2-5', /^USB port 2-5 is not passed to this guest\.$/],
      ['usb=1-1,1-1', /^USB port 1-1 is given twice\.$/],
    ];
    for (const [a, message] of cases) {
      const e = failed(await w.call('guests.set', { name: 'p2', assignments: [a] }));
      expect(e.fields, a).toEqual([{ field: 'usb', message: expect.stringMatching(message) }]);
    }
    expect(await vmJson('p2')).toBe(before);
  });

  it('the contract calls: attachPort names the port after what is plugged in there; detachPort; both refuse plainly', async () => {
    ok(await w.call('guests.create', { preset: 'linux', name: 'p3', diskSize: '1G' }));
    const a = ok(await w.call('guests.usb.attachPort', { name: 'p3', port: { bus: 1, path: '1.2' } }));
    expect(a.config.usb.hostDevices).toEqual([{ vendorId: '0000', productId: '0000', port: { bus: 1, path: '1.2' }, label: 'USB port 1-1.2 (Logitech USB Receiver)' }]);
    expect(a.appliedLive).toEqual([]); // stopped: nothing to plug live
    expect(failed(await w.call('guests.usb.attachPort', { name: 'p3', port: { bus: 1, path: '1.2' } })).fields).toEqual([{ field: 'port', message: 'USB port 1-1.2 is already passed to this guest.' }]);
    // The contract validates the port itself.
    expect(failed(await w.call('guests.usb.attachPort', { name: 'p3', port: { bus: 1, path: '1..2' } })).fields).toEqual([
      expect.objectContaining({ field: 'port.path', message: expect.stringMatching(/port numbers joined by dots/) }),
    ]);
    expect(ok(await w.call('guests.usb.detachPort', { name: 'p3', port: { bus: 1, path: '1.2' } })).config.usb.hostDevices).toEqual([]);
    expect(failed(await w.call('guests.usb.detachPort', { name: 'p3', port: { bus: 1, path: '1.2' } })).fields).toEqual([{ field: 'port', message: 'USB port 1-1.2 is not passed to this guest.' }]);
    expect(await stored('p3')).toEqual([]);
  });

  it('guestbay usb attach|detach NAME BUS-PORT and VENDOR:PRODUCT on a stopped guest; usb lists ports', async () => {
    ok(await w.call('guests.create', { preset: 'linux', name: 'p4', diskSize: '1G' }));
    const at = await cli(['usb', 'attach', 'p4', '2-1.4'], w.env);
    expect(at.stderr).toBe('');
    expect(at.code).toBe(0);
    expect(at.stdout).toBe('Saved the settings of p4.\n');
    expect(await stored('p4')).toEqual([expect.objectContaining({ port: { bus: 2, path: '1.4' }, vendorId: '0000' })]);
    expect((await cli(['usb', 'attach', 'p4', '046D:C52B'], w.env)).code).toBe(0);
    expect((await stored('p4')).map((d: { vendorId: string }) => d.vendorId)).toEqual(['0000', '046d']);
    const bad = await cli(['usb', 'attach', 'p4', '2-1.4.'], w.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^guestbay: the request was refused, nothing was written:\n {2}usb: "2-1\.4\." is not a USB port: /);
    expect((await cli(['usb', 'detach', 'p4', '2-1.4'], w.env)).code).toBe(0);
    expect((await cli(['usb', 'detach', 'p4', '046d:c52b'], w.env)).code).toBe(0);
    expect(await stored('p4')).toEqual([]);
    const gone = await cli(['usb', 'detach', 'p4', '2-1.4'], w.env);
    expect(gone.stderr).toContain('port: USB port 2-1.4 is not passed to this guest.');
    expect((await cli(['usb', 'attach', 'p4'], w.env)).code).toBe(2);
    expect((await cli(['usb', 'plug', 'p4', '1-1'], w.env)).stderr).toMatch(/unknown usb action "plug"/);
  });
});

describe('live changes key port entries by port', () => {
  it('two ports (both 0000:0000) are two live ops; a vendor:product entry beside them is its own', () => {
    const base = parseVmConfig(buildPreset('linux', { name: 'k', host: { threads: 2, memoryMiB: 2048 } }).config);
    const port = (bus: number, path: string) => ({ vendorId: '0000', productId: '0000', port: { bus, path } });
    const next = { ...base, usb: { ...base.usb, hostDevices: [port(1, '2'), port(1, '3'), { vendorId: '046d', productId: 'c52b' }] } };
    expect(liveOps(base, next).map((o) => o.kind)).toEqual(['usb-add', 'usb-add', 'usb-add']);
    expect(liveOps(next, { ...next, usb: { ...next.usb, hostDevices: [port(1, '3')] } })).toEqual([
      { kind: 'usb-remove', device: port(1, '2') },
      { kind: 'usb-remove', device: { vendorId: '046d', productId: 'c52b' } },
    ]);
  });
});
