// The USB picker's listing, from a sysfs tree written as a fixture (these machines have no USB bus).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findUsbDevice, listUsbDevices, parseUsbIds } from '../../../src/main/host/usb';

const TREE = join(__dirname, '../../fixtures/host/trees/usb-desktop');

describe('host USB devices', () => {
  it('lists every device by bus and port, named by its own strings, else usb.ids, else its ids', async () => {
    const list = await listUsbDevices({ root: TREE });
    expect(list.map((d) => [d.port, `${d.vendorId}:${d.productId}`, d.label, d.hub])).toEqual([
      ['1-1', '05e3:0610', 'Genesys Logic, Inc. USB2.1 Hub', true],
      ['1-1.2', '046d:c52b', 'Logitech USB Receiver', false],
      ['1-1.3', '0781:5581', 'SanDisk Corp. Ultra', false],
      ['1-4', '8087:0029', 'Intel Corp. AX200 Bluetooth', false],
      ['1-10', '16c0:05dc', 'Hack Co Evil [31m device', false],
      ['usb1', '1d6b:0002', 'Linux 6.1.0-57-amd64 xhci-hcd xHCI Host Controller', true],
      ['2-1', '1234:abcd', 'USB device 1234:abcd', false],
      ['usb2', '1d6b:0003', 'Linux 6.1.0-57-amd64 xhci-hcd xHCI Host Controller', true],
    ]);
    expect(list.find((d) => d.port === '1-1.3')).toMatchObject({ bus: 1, device: 5, speedMbps: 480, serial: '4C530001230417115143', vendor: 'SanDisk Corp.', product: 'Ultra' });
    expect(list.find((d) => d.port === '1-10')!.speedMbps).toBe(1.5);
  });

  it('finds a device by vendor:product, never a hub', async () => {
    const list = await listUsbDevices({ root: TREE });
    expect(findUsbDevice(list, '046D', 'C52B')).toMatchObject({ bus: 1, device: 4 });
    expect(findUsbDevice(list, '05e3', '0610')).toBeUndefined();
    expect(findUsbDevice(list, 'dead', 'beef')).toBeUndefined();
  });

  it('a host without a USB bus lists nothing, and a missing usb.ids leaves the ids', async () => {
    expect(await listUsbDevices({ root: join(TREE, 'nowhere') })).toEqual([]);
    const names = parseUsbIds('046d  Logitech, Inc.\n\tc52b  Unifying Receiver\nC 00  x\n\tc52b  not a product\n', [{ vendorId: '046d', productId: 'c52b' }]);
    expect(names.products.get('046d:c52b')).toBe('Unifying Receiver');
  });
});
