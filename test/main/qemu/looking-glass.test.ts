import { describe, expect, it } from 'vitest';
import { lookingGlassSizeMiB } from '../../../src/main/qemu/plan/looking-glass';

describe('Looking Glass shared memory size', () => {
  it('width × height × 4 × 2 + 10 MiB, rounded up to a power of two', () => {
    expect(lookingGlassSizeMiB(1920, 1080)).toBe(32); // 15.8 + 10 = 25.8
    expect(lookingGlassSizeMiB(2560, 1440)).toBe(64); // 28.1 + 10
    expect(lookingGlassSizeMiB(3840, 2160)).toBe(128); // 63.3 + 10
    expect(lookingGlassSizeMiB(640, 480)).toBe(16); // 2.3 + 10
    expect(lookingGlassSizeMiB(1920, 1200)).toBe(32); // 17.6 + 10
  });
});
