// App settings that live outside the guests: starting with the session (XDG autostart), and the
// Guestbay folder (the same settings file `guestbay settings` reads and writes).
import { isAutostartEnabled, setAutostart } from '../desktop/autostart';
import { appSettings, setAppSettings } from '../vm/app-settings';
import type { ApiContext, Handlers } from './context';

export function settingsHandlers({ deps }: ApiContext): Handlers<'settings.autostart.get' | 'settings.autostart.set' | 'settings.get' | 'settings.set'> {
  // Only the desktop app knows the command that starts it (the AppImage, or the installed binary).
  const exec = deps.autostartExec;
  return {
    'settings.autostart.get': async () => ({ available: Boolean(exec), enabled: await isAutostartEnabled(deps.env) }),
    'settings.autostart.set': async (i) => {
      if (!exec) throw new Error('starting with the session is set from the desktop app, not the browser');
      await setAutostart(i.enabled, exec, deps.env);
      return { available: true, enabled: await isAutostartEnabled(deps.env) };
    },
    'settings.get': () => appSettings(deps.store.paths),
    'settings.set': (i) => setAppSettings(deps.store.paths, i),
  };
}
