// `guestbay …`: entry point of the command-line interface.
import { COMMANDS, makeEnv } from './commands';
import { processIo, reportError, UsageError, type Io } from './output';

/** A command's usage, and what it adds beyond that line (the keys of `set`…). */
async function usage(c: (typeof COMMANDS)[string]): Promise<string> {
  return c.help ? await c.help() : `usage: guestbay ${c.usage}`;
}

export async function runCli(argv: string[], io: Io = processIo, env = process.env, cwd = process.cwd()): Promise<number> {
  const [cmd, ...rest] = argv;
  const asJson = rest.includes('--json');
  const about = cmd === 'help' && rest[0] ? COMMANDS[rest[0]] : undefined;
  if (about) {
    io.out(await usage(about));
    return 0;
  }
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out('usage: guestbay <command> …\n');
    for (const c of Object.values(COMMANDS)) io.out(`  guestbay ${c.usage}`);
    return cmd ? 0 : 2;
  }
  const c = COMMANDS[cmd];
  // `guestbay start --help` (or -h), before any option is parsed: the command's usage, exit 0.
  const beforeEnd = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (c && (beforeEnd.includes('--help') || beforeEnd.includes('-h'))) {
    io.out(await usage(c));
    return 0;
  }
  try {
    if (!c) throw new UsageError(`unknown command "${cmd}"`);
    return await c.run(makeEnv(io, env, cwd), rest);
  } catch (e) {
    return reportError(io, e, asJson);
  }
}
