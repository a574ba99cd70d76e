// `guestbay looking-glass N`: opens Looking Glass's client on the guest's shared memory.
import { launchLookingGlass } from '../../passthrough/looking-glass-client';
import { needName, parse, type Command } from '../common';


export const lookingGlass: Command = async (e, args) => {
  const { positionals } = parse(args, {}, 1);
  const config = await e.store.get(needName(positionals));
  const r = await launchLookingGlass(config, { env: e.env });
  e.io.out(`Started ${r.binary} ${r.args.join(' ')} (pid ${r.pid}).`);
  return 0;
};
