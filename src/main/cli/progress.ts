// Progress of long disk operations on stderr: a bar redrawn in place on a terminal, a line per
// tenth otherwise (logs, pipes, tests), so a 20-minute conversion is never silent.
import { formatProgressBar } from '../../shared/progress-format';
import { processIo, type Io } from './output';

export type ProgressFn = (name: string, operation: string, message: string, fraction?: number) => void;

export function progressPrinter(io: Io): ProgressFn & { done(): void } {
  const tty = io === processIo && process.stderr.isTTY;
  let lastMessage = '';
  let lastTenth = -1;
  let drawn = false;
  const fn = ((_name: string, _operation: string, message: string, fraction?: number) => {
    if (fraction === undefined) {
      if (drawn) process.stderr.write('\n');
      drawn = false;
      if (message !== lastMessage) io.err(message);
      lastMessage = message;
      return;
    }
    if (tty) {
      process.stderr.write(`\r${formatProgressBar(message, fraction, 30)}`);
      drawn = true;
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (message !== lastMessage) lastTenth = -1;
    if (tenth > lastTenth) io.err(`${message}: ${Math.round(fraction * 100)}%`);
    lastTenth = tenth;
    lastMessage = message;
  }) as ProgressFn & { done(): void };
  fn.done = () => {
    if (drawn) process.stderr.write('\n');
    drawn = false;
  };
  return fn;
}
