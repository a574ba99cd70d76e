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
  it('reads as a sentence for every backend and device, never "a none window"', () => {
    const backends = display.shape.backend.unwrap().options;
    const devices = display.shape.device.unwrap().options;
    const said = new Set<string>();
    for (const backend of backends) {
      for (const device of devices) {
        const text = displayWords({ device, backend, gl: false });
        expect(text).not.toMatch(/\b(a|an) (none|vnc|spice|gtk|sdl) window|none window|in a (gtk|sdl|spice|vnc|none)\b/);
        said.add(text);
      }
    }
    expect(displayWords({ device: 'virtio-vga', backend: 'gtk', gl: true })).toBe('virtio-vga, in its own window (GTK), with OpenGL');
    expect(displayWords({ device: 'virtio-vga', backend: 'sdl', gl: false })).toBe('virtio-vga, in its own window (SDL)');
    expect(displayWords({ device: 'std', backend: 'vnc', gl: false })).toBe('std, on a private VNC socket (open it with remote-viewer)');
    expect(displayWords({ device: 'qxl', backend: 'spice', gl: false })).toBe('qxl, over SPICE on a private socket (open it with remote-viewer)');
    expect(displayWords({ device: 'virtio-vga', backend: 'none', gl: false })).toBe('virtio-vga, with no screen shown (headless)');
    expect(displayWords({ device: 'none', backend: 'none', gl: false })).toBe('no graphics card (serial console only)');
    expect(displayWords({ device: 'auto', backend: 'gtk', gl: false })).toBe('the card the guest system drives best, in its own window (GTK)');
    expect(said.size).toBeGreaterThan(backends.length);
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
    const made = await ctx.client.call('guests.create', { preset: 'linux', name: 'headless', diskSize: '1G' });
    await ctx.client.call('guests.update', { config: { ...made.config, display: { ...made.config.display, backend: 'none' } } });
    location.hash = '#/guest/headless';
    render(<Root client={ctx.client} />);
    expect(await screen.findByText('virtio-vga, with no screen shown (headless)')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/none window|auto through auto/);
  });

  it('`guestbay presets` names each system once', async () => {
    const r = await cli(['presets'], ctx.world.env);
    expect(r.stdout).not.toMatch(/macOS macOS/);
    expect(r.stdout).toMatch(/^macos-sonoma\s+macOS Sonoma — macOS 14 via OpenCore/m);
    for (const p of PRESETS) expect(p.title.match(/macOS/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});
