// Each device and firmware enum is spelled once (src/shared/vm-choices.ts): the config schema,
// the contract's create overrides and the labels all answer with the same values.
import { describe, expect, it } from 'vitest';
import { calls, createOverrides } from '../../src/shared/contract';
import {
  DISK_BUS_LABELS,
  DISPLAY_DEVICE_LABELS,
  FIRMWARE_LABELS,
  FIRMWARE_MEANINGS,
  NIC_LABELS,
  SHARE_METHOD_LABELS,
  SHARE_METHOD_MEANINGS,
  choicesOf,
  diskBus,
  displayDevice,
  firmware,
  nicModel,
  shareMethod,
} from '../../src/shared/vm-choices';
import { disk, display, media, network, sharedFolder, vmConfig } from '../../src/shared/vm-config';

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('vm choices', () => {
  it('labels every value of every enum, and nothing else', () => {
    const pairs: [readonly string[], Record<string, string>][] = [
      [firmware.options, FIRMWARE_LABELS],
      [firmware.options, FIRMWARE_MEANINGS],
      [diskBus.options, DISK_BUS_LABELS],
      [nicModel.options, NIC_LABELS],
      [displayDevice.options, DISPLAY_DEVICE_LABELS],
      [shareMethod.options, SHARE_METHOD_LABELS],
      [shareMethod.options, SHARE_METHOD_MEANINGS],
    ];
    for (const [values, labels] of pairs) expect(sorted(Object.keys(labels))).toEqual(sorted(values));
    expect(choicesOf(NIC_LABELS)[0]).toEqual(['virtio-net', NIC_LABELS['virtio-net']]);
  });

  it('the config schema and the create overrides take their values from the same enums', () => {
    expect(vmConfig.shape.firmware.unwrap().options).toEqual(firmware.options);
    expect(disk.shape.bus.unwrap().options).toEqual(diskBus.options);
    expect(network.shape.nic.unwrap().options).toEqual(nicModel.options);
    expect(display.shape.device.unwrap().options).toEqual(displayDevice.options);
    expect(sharedFolder.shape.method.unwrap().options).toEqual(shareMethod.options);
    // Removable media use a subset of the disk buses.
    for (const b of media.shape.bus.unwrap().options) expect(diskBus.options).toContain(b);

    const o = createOverrides.shape;
    expect(o.firmware.unwrap().options).toEqual(firmware.options);
    expect(o.diskBus.unwrap().options).toEqual(diskBus.options);
    expect(o.nic.unwrap().options).toEqual(nicModel.options);
    expect(o.display.unwrap().options).toEqual(displayDevice.options);
    expect(o.shareMethod.unwrap().options).toEqual(shareMethod.options);
    // …and the calls that take them use that schema.
    for (const c of ['guests.create', 'guests.preview'] as const) {
      expect(calls[c].input.shape.overrides.unwrap()).toBe(createOverrides);
    }
  });
});
