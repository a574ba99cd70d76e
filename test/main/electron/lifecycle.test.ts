// The shell's plain decisions: staying alive without a window, one shared probe, the pickers.
import type { BrowserWindow, Dialog } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { HostCaps } from '../../../src/shared/host-caps';
import { keepRunningWithoutWindows, sharedProbe } from '../../../src/main/electron/lifecycle';
import { nativePickers } from '../../../src/main/electron/pickers';

describe('keepRunningWithoutWindows', () => {
  it('stays with the tray, or while a guest runs', () => {
    expect(keepRunningWithoutWindows([], { hasTray: true })).toBe(true);
    expect(keepRunningWithoutWindows([{ state: 'stopped' }], { hasTray: false })).toBe(false);
    expect(keepRunningWithoutWindows([{ state: 'paused' }], { hasTray: false })).toBe(true);
    expect(keepRunningWithoutWindows([{ state: 'stopped' }], { hasTray: false, preparing: true })).toBe(true);
  });
});

describe('sharedProbe', () => {
  it('probes once, again on refresh (without the cache), and forgets a failure', async () => {
    const caps = {} as HostCaps;
    const run = vi.fn(async (_o: { useCache: boolean }) => caps);
    const probe = sharedProbe(run);
    await probe();
    await probe();
    expect(run).toHaveBeenCalledTimes(1);
    await probe({ refresh: true });
    expect(run).toHaveBeenLastCalledWith({ useCache: false });
    run.mockRejectedValueOnce(new Error('boom'));
    await expect(probe({ refresh: true })).rejects.toThrow('boom');
    await expect(probe()).resolves.toBe(caps);
  });
});

describe('nativePickers', () => {
  it('opens modal to the window and answers the path, or null when cancelled', async () => {
    const win = { isDestroyed: () => false } as BrowserWindow;
    const showOpenDialog = vi.fn(async (..._a: unknown[]) => ({ canceled: false, filePaths: ['/iso/arch.iso'] }));
    const pickers = nativePickers({ showOpenDialog } as unknown as Pick<Dialog, 'showOpenDialog'>, () => win);
    expect(await pickers.file({ title: 'Installer', filters: [{ name: 'Disc images', extensions: ['iso'] }] })).toBe('/iso/arch.iso');
    expect(showOpenDialog.mock.calls[0]![0]).toBe(win);
    expect(showOpenDialog.mock.calls[0]![1]).toMatchObject({ title: 'Installer', properties: ['openFile'] });
    showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await pickers.folder({ title: 'Share' })).toBeNull();
    expect(showOpenDialog.mock.calls[1]![1]).toMatchObject({ properties: ['openDirectory', 'createDirectory'] });
  });
});
