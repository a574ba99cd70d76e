// The native file and folder pickers behind the contract's dialog.* calls, attached to the main
// window so they are modal to it (and land on the right screen).
import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { Pickers } from '../api';

export function nativePickers(dialog: Pick<Dialog, 'showOpenDialog'>, parent: () => BrowserWindow | null): Pickers {
  const open = async (options: OpenDialogOptions): Promise<string | null> => {
    const win = parent();
    const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
  return {
    file: (o) => open({ title: o.title, properties: ['openFile'], ...(o.filters ? { filters: [...o.filters, { name: 'All files', extensions: ['*'] }] } : {}) }),
    folder: (o) => open({ title: o.title, properties: ['openDirectory', 'createDirectory'] }),
  };
}
