// `guestbay switch N`: the one switch policy, carried out, with what it decided.
import { describe, needName, parse, withSupervisor, type Command } from '../common';
import { interruptible } from '../interrupt';
import { json } from '../output';

export const switchCmd: Command = async (e, args) => {
  const { values, positionals } = parse(args, { headless: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  return interruptible((signal) => withSupervisor(e, async (sup) => {
    const r = await sup.switchTo(needName(positionals), { headless: values.headless, signal });
    if (values.json) return json(e.io, r), 0;
    e.io.out(`${r.decision.summary} — done in ${(r.elapsedMs / 1000).toFixed(1)} s`);
    e.io.out(describe(r.status));
    return 0;
  }));
};
