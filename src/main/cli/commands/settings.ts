// `guestbay settings`: Guestbay-wide settings (not a guest's), the same file the app's Host page
// changes (settings.get/settings.set). The Guestbay folder: the one host folder every new guest
// gets (as the share tagged "guestbay"), read at each guest's start; and whether new guests get it.
import { appSettings, setAppSettings } from '../../vm/app-settings';
import { parse, type Command } from '../common';
import { json, UsageError } from '../output';

const KEYS = ['shared-folder', 'new-guests-get-folder'] as const;
type Key = (typeof KEYS)[number];

export function settingsHelp(): string {
  return [
    'Keys:',
    '  shared-folder           the Guestbay folder: every new guest gets it unless created with --no-shared-folder',
    '                          (default ~/Guestbay Shared, made with mode 0700 at the first start that needs it).',
    '                          A change applies at each guest\'s next start.',
    '  new-guests-get-folder   yes (default) or no: whether a new guest gets the Guestbay folder when its create does not say.',
    'Examples:',
    '  guestbay settings',
    '  guestbay settings set shared-folder ~/Shared',
    '  guestbay settings set new-guests-get-folder no',
    '  guestbay settings reset shared-folder',
  ].join('\n');
}

function yesNo(v: string): boolean {
  if (/^(yes|on|true|1)$/i.test(v)) return true;
  if (/^(no|off|false|0)$/i.test(v)) return false;
  throw new UsageError(`new-guests-get-folder is yes or no, not "${v}"`);
}

export const settings: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 3);
  const [verb = 'get', key, value] = positionals;
  if (key !== undefined && !KEYS.includes(key as Key)) throw new UsageError(`unknown setting "${key}": the settings are ${KEYS.join(', ')}`);
  const paths = e.store.paths;
  let s;
  if (verb === 'get') {
    s = await appSettings(paths);
  } else if (verb === 'set') {
    if (!key || value === undefined) throw new UsageError('set needs a key and a value, e.g. `guestbay settings set shared-folder ~/Shared`');
    if (key === 'new-guests-get-folder') {
      s = await setAppSettings(paths, { newGuestsGetFolder: yesNo(value) });
    } else {
      const home = paths.home ?? e.env.HOME ?? '';
      const path = value === '~' ? home : value.startsWith('~/') ? `${home}${value.slice(1)}` : value;
      s = await setAppSettings(paths, { sharedFolder: path });
    }
  } else if (verb === 'reset') {
    if (!key) throw new UsageError('reset needs a key, e.g. `guestbay settings reset shared-folder`');
    s = await setAppSettings(paths, key === 'new-guests-get-folder' ? { newGuestsGetFolder: true } : { sharedFolder: null });
  } else {
    throw new UsageError(`unknown action "${verb}": get, set or reset`);
  }
  if (values.json) return json(e.io, s), 0;
  const folder = s.sharedFolder;
  e.io.out(`shared-folder: ${folder.path}${folder.isDefault ? ' (default)' : ''}${folder.exists ? '' : ' (made at the next start of a guest that has it)'}`);
  e.io.out(`new-guests-get-folder: ${s.newGuestsGetFolder ? 'yes' : 'no'}`);
  return 0;
};
