// Issue 12 item 19: the guest page said "virtio-vga in a none window". Every display backend
// (and device choice) now reads as a sentence; `guestbay presets` no longer doubles "macOS".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { displayWords, soundWords } from '../../src/renderer/guest-words';
import { Root } from '../../src/renderer/Root';
import { PRESETS } from '../../src/shared/presets';
import { display } from '../../src/shared/vm-config';
import { cli } from '../helpers/cli';
import { realClient } from './client';

describe('display wording', () => {
  it('reads as a sentence for every viewer, window and device, never "a none window"', () => {
    const viewers = display.shape.viewer.unwrap().options;
    const windows = display.shape.window.unwrap().options;
    const devices = display.shape.device.unwrap().options;
    const said = new Set<string>();
    for (const viewer of viewers) {
      for (const window of windows) {
        for (const device of devices) {
          const text = displayWords({ device, viewer, window, gl: false });
          expect(text).not.toMatch(/\b(a|an) (none|vnc|spice|gtk|sdl) window|none window|in a (gtk|sdl|spice|vnc|none)\b/);
          said.add(text);
        }
      }
    }
    expect(displayWords({ device: 'virtio-vga', viewer: 'window', window: 'gtk', gl: true })).toBe("virtio-vga, with OpenGL, in QEMU's own window (GTK)");
    expect(displayWords({ device: 'virtio-vga', viewer: 'window', window: 'sdl', gl: false })).toBe("virtio-vga, in QEMU's own window (SDL)");
    expect(displayWords({ device: 'qxl', viewer: 'window', window: 'spice', gl: false })).toBe('qxl, over SPICE on a private socket (open it with remote-viewer)');
    expect(displayWords({ device: 'std', viewer: 'guestbay', window: 'gtk', gl: false })).toBe('std, shown in Guestbay');
    expect(displayWords({ device: 'none', viewer: 'guestbay', window: 'gtk', gl: false })).toBe('no graphics card (serial console only)');
    expect(displayWords({ device: 'auto', viewer: 'guestbay', window: 'gtk', gl: false })).toBe('the card the guest system drives best, shown in Guestbay');
    expect(said.size).toBeGreaterThan(viewers.length + windows.length);
  });
});

describe('sound wording', () => {
  it('says what auto means instead of "auto through auto"', () => {
    expect(soundWords({ device: 'auto', backend: 'auto' })).toBe('virtio-sound or Intel HDA, whichever the guest drives and QEMU has, played through the desktop\'s sound server (PipeWire, else PulseAudio)');
    expect(soundWords({ device: 'hda', backend: 'pipewire' })).toBe('Intel HDA, played through PipeWire');
    expect(soundWords({ device: 'none', backend: 'auto' })).toBe('no sound card');
  });
});

describe('the guest page and the presets list', () => {
  let ctx: Awaited<ReturnType<typeof realClient>>;
  beforeEach(async () => {
    ctx = await realClient('gb-ui-words-');
  });
  afterEach(async () => {
    cleanup();
    location.hash = '';
    await ctx.world.cleanup();
  });

  it('the guest page says where the screen goes, in words', async () => {
    const made = await ctx.client.call('guests.create', { preset: 'linux', name: 'windowed', diskSize: '1G' });
    const { revision } = await ctx.client.call('guests.get', { name: 'windowed' });
    await ctx.client.call('guests.update', { name: 'windowed', revision, config: { ...made.config, display: { ...made.config.display, viewer: 'window', window: 'sdl', gl: true } } });
    location.hash = '#/guest/windowed/settings/display';
    render(<Root client={ctx.client} />);
    expect((await screen.findByTestId('settings-display-now')).textContent).toBe('Now: virtio-vga, with OpenGL, in QEMU’s SDL window.');
    expect((screen.getByTestId('settings-viewer-window') as HTMLInputElement).checked).toBe(true);
    expect(document.body.textContent).not.toMatch(/none window|auto through auto/);
  });

  it('`guestbay presets` names each system once', async () => {
    const r = await cli(['presets'], ctx.world.env);
    expect(r.stdout).not.toMatch(/macOS macOS/);
    expect(r.stdout).toMatch(/^macos-sonoma\s+macOS Sonoma — macOS 14 via OpenCore/m);
    for (const p of PRESETS) expect(p.title.match(/macOS/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});
