// `guestbay presets`: the presets `create` accepts.
import { PRESETS } from '../../../shared/presets';
import { parse, type Command } from '../common';
import { json } from '../output';

export const presets: Command = async (e, args) => {
  const { values } = parse(args, { json: { type: 'boolean' } });
  if (values.json) return json(e.io, PRESETS), 0;
  for (const p of PRESETS) e.io.out(`${p.id.padEnd(18)} ${p.title} — ${p.description}`);
  return 0;
};
