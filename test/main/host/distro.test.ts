import { describe, expect, it } from 'vitest';
import { distroFromOsRelease, parseOsRelease } from '../../../src/main/host/distro';
import { readFixture } from './helpers';

const distro = async (name: string) => distroFromOsRelease(parseOsRelease(await readFixture('os-release', name)));

describe('distro', () => {
  it.each([
    ['arch.txt', { id: 'arch', name: 'Arch Linux', family: 'arch' }],
    ['manjaro.txt', { id: 'manjaro', name: 'Manjaro Linux', family: 'arch' }],
    ['endeavouros.txt', { id: 'endeavouros', name: 'EndeavourOS', family: 'arch' }],
    ['debian12.txt', { id: 'debian', name: 'Debian GNU/Linux 12 (bookworm)', family: 'debian' }],
    ['debian13.txt', { id: 'debian', name: 'Debian GNU/Linux 13 (trixie)', family: 'debian' }],
  ])('%s', async (file, want) => {
    expect(await distro(file)).toEqual(want);
  });

  it('falls back to ID_LIKE, then to other', () => {
    expect(distroFromOsRelease({ ID: 'somearch', ID_LIKE: 'arch' }).family).toBe('arch');
    expect(distroFromOsRelease({ ID: 'nobara', ID_LIKE: 'rhel centos fedora' }).family).toBe('fedora');
    expect(distroFromOsRelease({ ID: 'opensuse-tumbleweed', ID_LIKE: 'opensuse suse' }).family).toBe('other');
    expect(distroFromOsRelease({})).toEqual({ id: 'linux', name: 'linux', family: 'other' });
  });
});
