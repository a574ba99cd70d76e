import { describe, expect, it } from 'vitest';
import { parsePpm } from '../../../src/main/media/ppm';

const px = (...bytes: number[]): Buffer => Buffer.from(bytes);

describe('parsePpm', () => {
  it('parses the header QEMU writes', () => {
    const img = parsePpm(Buffer.concat([Buffer.from('P6\n2 1\n255\n'), px(1, 2, 3, 4, 5, 6)]));
    expect(img.width).toBe(2);
    expect(img.height).toBe(1);
    expect([...img.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('skips comments and any whitespace in the header', () => {
    const header = 'P6 # made by hand\n#another\r\n 1\t# w\n\n1 #h\n255\n';
    expect([...parsePpm(Buffer.concat([Buffer.from(header), px(9, 8, 7)])).data]).toEqual([9, 8, 7]);
  });

  it('takes pixels that look like whitespace or # after the single separator byte', () => {
    const img = parsePpm(Buffer.concat([Buffer.from('P6 1 2 255 '), px(0x0a, 0x23, 0x20, 0x0d, 0x09, 0x50)]));
    expect([...img.data]).toEqual([0x0a, 0x23, 0x20, 0x0d, 0x09, 0x50]);
  });

  it('ignores bytes after the first image', () => {
    expect(parsePpm(Buffer.concat([Buffer.from('P6 1 1 255\n'), px(1, 2, 3, 0xff, 0xff)])).data.length).toBe(3);
  });

  it.each([
    ['P3 1 1 255\n1 2 3', /no P6 magic/],
    ['P61 1 255\nabc', /whitespace before width/],
    ['P6 1 1 65535\nabcdef', /maxval 65535 not supported/],
    ['P6 1 1 15\nabc', /maxval 15/],
    ['P6 2 2 255\nabc', /truncated/],
    ['P6 0 2 255\n', /out of range/],
    ['P6 x 2 255\n', /expected width/],
    ['P6 1 1 255', /after maxval/],
    ['P6 99999999 1 255\n', /too large/],
  ])('rejects %j', (text, error) => {
    expect(() => parsePpm(Buffer.from(text, 'latin1'))).toThrow(error);
  });
});
