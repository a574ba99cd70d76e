import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from '../../src/shared/size';

describe('sizes', () => {
  it('reads binary units as qemu-img does', () => {
    expect(parseSize('64G')).toEqual({ ok: true, bytes: 64 * 2 ** 30 });
    expect(parseSize('512M')).toEqual({ ok: true, bytes: 512 * 2 ** 20 });
    expect(parseSize('1.5T')).toEqual({ ok: true, bytes: 1.5 * 2 ** 40 });
    expect(parseSize('20GiB')).toEqual({ ok: true, bytes: 20 * 2 ** 30 });
  });

  it('refuses negative, huge, tiny and nonsense sizes with a specific message', () => {
    expect(parseSize('-5G')).toMatchObject({ ok: false, error: expect.stringContaining('negative') });
    expect(parseSize('9999T')).toMatchObject({ ok: false, error: expect.stringContaining('too large') });
    expect(parseSize('10K')).toMatchObject({ ok: false, error: expect.stringContaining('too small') });
    expect(parseSize('lots')).toMatchObject({ ok: false, error: expect.stringContaining('not a size') });
  });

  it('formats sizes for people', () => {
    expect(formatSize(64 * 2 ** 30)).toBe('64 GiB');
    expect(formatSize(1536 * 2 ** 20)).toBe('1.5 GiB');
  });
});
