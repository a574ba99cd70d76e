// "The guest answers": a line written to its serial console comes back (the test guest's
// `gb echo`, test/guest/README.md): finer than its once-a-second tick, and the same point for a
// cold boot (its init has reached the console reader) and a restore. The line waits in the
// guest's tty until the reader takes it, so the answer comes the moment the guest can give it;
// it is sent again each second only in case an early one was lost while the UART was being set
// up (asking every few ms floods the guest's shell, under TCG, with lines to answer).
import { connect, type Socket } from 'node:net';
import { until } from './stats';

export async function guestAnswers(serialSocket: string, timeoutMs = 180_000): Promise<void> {
  let s: Socket | undefined;
  await until(async () => {
    s = await new Promise<Socket | undefined>((resolve) => {
      const c = connect(serialSocket);
      c.once('connect', () => resolve(c));
      c.once('error', () => resolve(undefined));
    });
    return s !== undefined;
  }, timeoutMs, 2);
  const sock = s!;
  const nonce = Math.random().toString(36).slice(2, 10);
  let seen = '';
  sock.on('data', (d: Buffer) => (seen = (seen + d.toString('latin1')).slice(-4096)));
  let sentAt = 0;
  try {
    await until(async () => {
      if (seen.includes(`GB:ECHO ${nonce}`)) return true;
      if (performance.now() - sentAt >= 1000) {
        sock.write(`gb echo ${nonce}\n`);
        sentAt = performance.now();
      }
      return false;
    }, timeoutMs, 2);
  } finally {
    sock.destroy();
  }
}
