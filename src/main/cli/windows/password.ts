// The Windows account's password for `guestbay windows prepare`: typed at a prompt that does
// not echo it, or piped on stdin (--password-stdin). Never a flag: a flag's value lands in the
// shell's history and in every process listing while Guestbay runs.
import { UsageError } from '../output';

/** Everything on stdin, less one trailing newline (`echo pw |` adds it). */
export async function passwordFromStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stdin) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks on the terminal without echo; refused when stdin is not a terminal. */
export async function promptPassword(prompt: string, stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!stdin.isTTY) throw new UsageError('the account\'s password is read from a prompt (a terminal) or from stdin with --password-stdin; never from a flag, which the shell history would keep');
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let pw = '';
  try {
    return await new Promise<string>((resolve, reject) => {
      const onData = (d: Buffer) => {
        for (const ch of d.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done(() => resolve(pw));
          if (ch === '\u0003') return done(() => reject(new UsageError('cancelled')));
          if (ch === '\u007f' || ch === '\b') pw = pw.slice(0, -1);
          else pw += ch;
        }
      };
      const done = (f: () => void) => {
        stdin.off('data', onData);
        f();
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    stderr.write('\n');
  }
}
