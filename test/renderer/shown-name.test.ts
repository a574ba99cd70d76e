// Item 8: the library shows each guest's own name first; a title that only repeats the system
// (the preset's default "Linux") does not hide it.
import { describe, expect, it } from 'vitest';
import { shownName } from '../../src/renderer/guest-words';

describe('the name a guest is shown by', () => {
  it('is the user’s title, else the guest’s own name', () => {
    const linux = { family: 'linux' as const, version: 'generic' };
    expect(shownName('fedora', { title: 'Linux', os: linux })).toBe('fedora');
    expect(shownName('win11', { title: 'Windows 11', os: { family: 'windows', version: '11' } })).toBe('win11');
    expect(shownName('deb', { title: 'Debian at work', os: linux })).toBe('Debian at work');
    expect(shownName('deb', { os: linux })).toBe('deb');
    expect(shownName('broken', undefined)).toBe('broken');
  });
});
