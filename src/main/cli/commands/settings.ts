// `guestbay settings`: Guestbay-wide settings (not a guest's). Today the Guestbay folder: the one
// host folder every new guest gets (as the share tagged "guestbay"), read at each guest's start.
import { guestbayFolder, setGuestbayFolder } from '../../vm/app-settings';
import { parse, type Command } from '../common';
import { json, UsageError } from '../output';

const KEYS = ['shared-folder'] as const;

export function settingsHelp(): string {
  return [
    'Keys:',
    '  shared-folder   the Guestbay folder: every new guest gets it unless created with --no-shared-folder',
    '                  (default ~/Guestbay Shared, made with mode 0700 at the first start that needs it).',
    '                  A change applies at each guest\'s next start.',
    'Examples:',
    '  guestbay settings',
    '  guestbay settings set shared-folder ~/Shared',
    '  guestbay settings reset shared-folder',
  ].join('\n');
}

export const settings: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 3);
  const [verb = 'get', key, value] = positionals;
  if (key !== undefined && !KEYS.includes(key as (typeof KEYS)[number])) throw new UsageError(`unknown setting "${key}": the settings are ${KEYS.join(', ')}`);
  const paths = e.store.paths;
  let folder;
  if (verb === 'get') {
    folder = await guestbayFolder(paths);
  } else if (verb === 'set') {
    if (!key || value === undefined) throw new UsageError('set needs a key and a value, e.g. `guestbay settings set shared-folder ~/Shared`');
    const home = paths.home ?? e.env.HOME ?? '';
    const path = value === '~' ? home : value.startsWith('~/') ? `${home}${value.slice(1)}` : value;
    folder = await setGuestbayFolder(paths, path);
  } else if (verb === 'reset') {
    if (!key) throw new UsageError('reset needs a key, e.g. `guestbay settings reset shared-folder`');
    folder = await setGuestbayFolder(paths, null);
  } else {
    throw new UsageError(`unknown action "${verb}": get, set or reset`);
  }
  if (values.json) return json(e.io, { sharedFolder: folder }), 0;
  e.io.out(`shared-folder: ${folder.path}${folder.isDefault ? ' (default)' : ''}${folder.exists ? '' : ' (made at the next start of a guest that has it)'}`);
  return 0;
};
