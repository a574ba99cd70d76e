import { describe, expect, it } from 'vitest';
import { escapeOptValue, opts } from '../../../src/main/qemu/qemu-opts';

describe('QEMU option syntax', () => {
  it('doubles commas inside values so a path with commas stays one value', () => {
    expect(escapeOptValue('/home/a,b/disk.qcow2')).toBe('/home/a,,b/disk.qcow2');
    expect(opts(null, { if: 'none', file: '/x,y,z.img' })).toBe('if=none,file=/x,,y,,z.img');
  });

  it('renders booleans as on/off and skips absent values', () => {
    expect(opts('virtio-blk-pci', { drive: 'd0', bootindex: 0, readonly: true, serial: undefined, x: null })).toBe(
      'virtio-blk-pci,drive=d0,bootindex=0,readonly=on',
    );
    expect(opts('memory-backend-memfd', { share: false })).toBe('memory-backend-memfd,share=off');
  });

  it('escapes the head too (a unix socket path in -qmp)', () => {
    expect(opts('unix:/run/a,b/qmp.sock', { server: true })).toBe('unix:/run/a,,b/qmp.sock,server=on');
  });
});
