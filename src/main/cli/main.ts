// `guestbay …`: entry point of the command-line interface.
import { COMMANDS, makeEnv } from './commands';
import { processIo, reportError, UsageError, type Io } from './output';

export async function runCli(argv: string[], io: Io = processIo, env = process.env, cwd = process.cwd()): Promise<number> {
  const [cmd, ...rest] = argv;
  const asJson = rest.includes('--json');
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    io.out('usage: guestbay <command> …\n');
    for (const c of Object.values(COMMANDS)) io.out(`  guestbay ${c.usage}`);
    return cmd ? 0 : 2;
  }
  const c = COMMANDS[cmd];
  try {
    if (!c) throw new UsageError(`unknown command "${cmd}"`);
    // `guestbay CMD --help`: its usage (and what the command adds, such as set's keys).
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(c.help ? c.help() : `usage: guestbay ${c.usage}`);
      return 0;
    }
    return await c.run(makeEnv(io, env, cwd), rest);
  } catch (e) {
    return reportError(io, e, asJson);
  }
}
