// `guestbay logs N`: the last lines of QEMU's, the sidecars' and the serial log.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tail } from '../../vm/sidecars';
import { needName, parse, type Command } from '../common';

export const logs: Command = async (e, args) => {
  const { values, positionals } = parse(args, { lines: { type: 'string' } }, 1);
  const name = needName(positionals);
  await e.store.get(name);
  const n = values.lines === undefined ? 40 : Number(values.lines);
  const { logDir } = e.store.dirs(name);
  const files = (await readdir(logDir).catch(() => [])).filter((f) => f.endsWith('.log')).sort();
  if (files.length === 0) e.io.out(`No logs yet for "${name}" (${logDir}).`);
  for (const f of files) {
    e.io.out(`==> ${join(logDir, f)} <==`);
    e.io.out(await tail(join(logDir, f), n));
  }
  return 0;
};
