import { describe, expect, it } from 'vitest';
import { raiseCommand, raiseGuestWindow } from '../../../src/main/desktop/raise-window';

const has = (...bins: string[]) => async (b: string) => bins.includes(b);

describe('raising a guest\'s own window', () => {
  it('on X11 uses wmctrl, else xdotool, matching QEMU\'s window title', async () => {
    expect(await raiseCommand('win11', { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' }, has('wmctrl', 'xdotool'))).toEqual(['wmctrl', '-a', 'QEMU (win11)']);
    expect(await raiseCommand('win11', { DISPLAY: ':0' }, has('xdotool'))).toEqual(['xdotool', 'search', '--name', 'QEMU (win11)', 'windowactivate']);
  });

  it('on Wayland, without a display or without a helper: nothing to run, so the app shows the guest', async () => {
    expect(await raiseCommand('mac', { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' }, has('wmctrl'))).toBeNull();
    expect(await raiseCommand('mac', {}, has('wmctrl'))).toBeNull();
    expect(await raiseCommand('mac', { DISPLAY: ':0' }, has())).toBeNull();
    expect(await raiseGuestWindow('mac', { XDG_SESSION_TYPE: 'wayland' })).toBe(false);
  });
});
