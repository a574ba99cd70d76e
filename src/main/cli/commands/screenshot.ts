// `guestbay screenshot N FILE.png`: the guest's screen as PNG.
import { resolve } from 'node:path';
import { screenshot } from '../../vm/screenshot';
import { needName, parse, withSupervisor, type Command } from '../common';
import { json, UsageError } from '../output';

export const screenshotCmd: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 2);
  const name = needName(positionals);
  if (!positionals[1]) throw new UsageError('name the PNG file to write, e.g. `guestbay screenshot win11 screen.png`');
  const file = resolve(e.cwd, positionals[1]);
  return withSupervisor(e, async (sup) => {
    const shot = await screenshot(await sup.monitor(name), file, { workDir: e.store.dirs(name).runtimeDir });
    if (values.json) return json(e.io, { file, ...shot }), 0;
    e.io.out(`${file}: ${shot.width}×${shot.height}`);
    return 0;
  });
};
