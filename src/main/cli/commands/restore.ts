// `guestbay restore N`: continues a saved guest where it was.
import { lifecycle, needName, parse, type Command } from '../common';
import { interruptible } from '../interrupt';

export const restore: Command = async (e, args) => {
  const { values, positionals } = parse(args, { headless: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  return interruptible((signal) => lifecycle(e, values.json, (sup) => sup.restore(needName(positionals), { headless: values.headless, signal })));
};
