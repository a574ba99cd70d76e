// The shell as it ships (dist/electron/main.cjs, bundled with the build script's own options),
// run in this Node process against a fake `electron` module: Electron's runtime is the one
// thing that cannot exist here. The services behind it are the real ones, in a private HOME.
import { EventEmitter } from 'node:events';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { options } from '../../../scripts/build-electron.mjs';
import type { Reply } from '../../../src/shared/contract';
import { tempHome } from '../../helpers/cli';

const nodeRequire = createRequire(import.meta.url);
let code: string;
beforeAll(async () => {
  const r = await build({ ...options('main'), write: false });
  code = r.outputFiles![0]!.text;
}, 30_000);

type Listener = (...a: unknown[]) => unknown;

class FakeWebContents extends EventEmitter {
  url = '';
  mainFrame = { url: '', parent: null, processId: 7, routingId: 1 };
  session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
  send = vi.fn();
  setWindowOpenHandler = vi.fn();
  isDestroyed = () => false;
  getURL = () => this.url;
}

function fakeElectron(o: { lock: boolean }) {
  const order: string[] = [];
  const windows: FakeWindow[] = [];
  const handlers = new Map<string, Listener>();
  const listeners = new Map<string, Listener>();
  let readyResolve!: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));

  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents();
    shown = 0;
    focused = 0;
    destroyed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    loadURL = vi.fn(async (url: string) => {
      this.webContents.url = url;
      this.webContents.mainFrame.url = url;
    });
    show = () => void this.shown++;
    focus = () => void this.focused++;
    isMinimized = () => false;
    restore = () => undefined;
    isVisible = () => this.shown > 0;
    isDestroyed = () => this.destroyed;
    setProgressBar = () => undefined;
  }

  const app = Object.assign(new EventEmitter(), {
    paths: {} as Record<string, string>,
    quit: vi.fn(() => {
      // Like Electron: quitting emits before-quit, which may cancel it.
      const e = { defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) };
      app.emit('before-quit', e);
      if (!e.defaultPrevented) app.quitted = true;
    }),
    quitted: false,
    setPath: (name: string, p: string) => void (app.paths[name] = p),
    enableSandbox: () => void order.push('enableSandbox'),
    requestSingleInstanceLock: () => {
      order.push('lock');
      return o.lock;
    },
    whenReady: () => {
      order.push('whenReady');
      return ready;
    },
  });
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: vi.fn((_schemes: unknown[]) => void order.push('registerSchemesAsPrivileged')),
      handle: vi.fn(),
    },
    ipcMain: {
      handle: (ch: string, fn: Listener) => void handlers.set(ch, fn),
      removeHandler: (ch: string) => void handlers.delete(ch),
      // The display ports' channel (display-port.test.ts tests it on its own).
      on: (ch: string, fn: Listener) => void listeners.set(ch, fn),
      removeListener: (ch: string) => void listeners.delete(ch),
    },
    dialog: { showOpenDialog: vi.fn(), showMessageBox: vi.fn(), showErrorBox: vi.fn() },
    shell: { openExternal: vi.fn(async () => undefined) },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((t: unknown) => t) },
    Tray: class {
      on = () => undefined;
      setImage = () => undefined;
      setToolTip = () => undefined;
      setContextMenu = () => undefined;
      destroy = () => undefined;
    },
    Notification: class {
      show = () => undefined;
    },
  };
  return { electron, app, order, windows, handlers, ready: () => readyResolve() };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function start(o: { lock: boolean }) {
  const t = await tempHome('gb-electron-');
  const fake = fakeElectron(o);
  const required = new Set<string>();
  const requireShim = (id: string) => {
    required.add(id);
    return id === 'electron' ? fake.electron : nodeRequire(id);
  };
  // The bundle's own globals: where it lives, and a process whose environment is the private HOME.
  const proc = Object.create(process, { env: { value: t.env }, argv: { value: ['electron', '.'] } });
  const module = { exports: {} };
  new Function('require', 'module', 'exports', '__dirname', '__filename', 'process', code)(
    requireShim,
    module,
    module.exports,
    join(t.home, 'app', 'dist', 'electron'),
    join(t.home, 'app', 'dist', 'electron', 'main.cjs'),
    proc,
  );
  const settle = () => new Promise((r) => setTimeout(r, 50));
  cleanups.push(async () => {
    if (!fake.app.quitted) {
      fake.app.quit();
      await vi.waitFor(() => expect(fake.app.quitted).toBe(true));
    }
    await t.cleanup();
  });
  return { ...fake, t, required, settle };
}

describe('the Electron main process', () => {
  it('a second instance quits at once and leaves the window to the first', async () => {
    const s = await start({ lock: false });
    expect(s.app.quit).toHaveBeenCalled();
    expect(s.order).not.toContain('whenReady');
    expect(s.windows).toHaveLength(0);
  });

  it('registers the scheme before ready, keeps Chromium out of our settings folder, and opens the app', async () => {
    const s = await start({ lock: true });
    expect(s.order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(s.order.indexOf('whenReady'));
    expect(s.order.indexOf('lock')).toBeLessThan(s.order.indexOf('whenReady'));
    expect(s.app.paths.userData).toBe(join(s.t.env.XDG_CONFIG_HOME!, 'guestbay', 'electron'));
    expect(s.electron.protocol.registerSchemesAsPrivileged.mock.calls[0]![0]).toEqual([
      expect.objectContaining({ scheme: 'guestbay', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    s.ready();
    await vi.waitFor(() => expect(s.windows).toHaveLength(1));
    const w = s.windows[0]!;
    expect(s.electron.protocol.handle).toHaveBeenCalledWith('guestbay', expect.any(Function));
    expect(w.loadURL).toHaveBeenCalledWith('guestbay://app/index.html');
    expect((w.options.webPreferences as { preload: string }).preload).toBe(join(s.t.home, 'app', 'dist', 'electron', 'preload.cjs'));
    expect(w.shown).toBe(0);
    w.emit('ready-to-show');
    expect(w.shown).toBe(1);
    // The window is hardened: pop-ups denied, permissions handled.
    expect(w.webContents.setWindowOpenHandler).toHaveBeenCalled();
    expect(w.webContents.session.setPermissionRequestHandler).toHaveBeenCalled();
    // Self-contained: Node's own modules and electron, nothing from node_modules at run time.
    expect([...s.required].filter((id) => !builtinModules.includes(id.replace(/^node:/, '')))).toEqual(['electron']);
  });

  it('answers the app over IPC with the real API, and refuses anyone else', async () => {
    const s = await start({ lock: true });
    s.ready();
    await vi.waitFor(() => expect(s.windows).toHaveLength(1));
    const w = s.windows[0]!;
    await s.settle();
    const call = s.handlers.get('guestbay:call')!;
    const ok = (await call({ sender: w.webContents, senderFrame: w.webContents.mainFrame }, { call: 'guests.list', input: {} })) as Reply;
    expect(ok).toEqual({ ok: true, output: [] });
    const bad = (await call({ sender: w.webContents, senderFrame: w.webContents.mainFrame }, { call: 'guests.get', input: { name: '../x' } })) as Reply;
    expect(bad).toMatchObject({ ok: false, error: { name: 'ValidationError' } });
    const sub = { url: 'guestbay://app/index.html', parent: w.webContents.mainFrame, processId: 7, routingId: 9 };
    expect(await call({ sender: w.webContents, senderFrame: sub }, { call: 'guests.list', input: {} })).toMatchObject({ ok: false, error: { name: 'Forbidden' } });
  });

  it('a second launch brings the existing window forward', async () => {
    const s = await start({ lock: true });
    s.ready();
    await vi.waitFor(() => expect(s.windows).toHaveLength(1));
    s.app.emit('second-instance');
    expect(s.windows).toHaveLength(1);
    expect(s.windows[0]!.focused).toBe(1);
  });

  it('closing the window keeps the app (and the guests) running; a launch brings a new window', async () => {
    const s = await start({ lock: true });
    s.ready();
    await vi.waitFor(() => expect(s.windows).toHaveLength(1));
    s.windows[0]!.destroyed = true;
    s.windows[0]!.emit('closed');
    s.app.emit('window-all-closed');
    await s.settle();
    expect(s.app.quit).not.toHaveBeenCalled();
    s.app.emit('second-instance');
    expect(s.windows).toHaveLength(2);
  });

  it('quitting lets go of the guests first, then quits', async () => {
    const s = await start({ lock: true });
    s.ready();
    await vi.waitFor(() => expect(s.windows).toHaveLength(1));
    s.app.quit();
    expect(s.app.quitted).toBe(false);
    await vi.waitFor(() => expect(s.app.quitted).toBe(true));
    expect(s.handlers.size).toBe(0);
  });
});
