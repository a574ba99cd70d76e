// Item 11 of issue 12: every command takes --help (its usage, exit 0), and a reader that goes
// away (`guestbay probe | head -1`) ends the command quietly instead of an EPIPE stack trace.
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/main/cli/commands';
import { cli, guestbay, ROOT, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  t = await tempHome('gb-help-');
});
afterAll(() => t.cleanup());

describe('--help', () => {
  it.each(Object.keys(COMMANDS))('guestbay %s --help prints its usage and exits 0, touching nothing', async (name) => {
    // A command with more to say (set lists its keys) prints that, starting with its own usage line.
    const expected = COMMANDS[name]!.help ? `${await COMMANDS[name]!.help!()}\n` : `usage: guestbay ${COMMANDS[name]!.usage}\n`;
    for (const flag of ['--help', '-h']) {
      const r = await cli([name, flag], t.env);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(expected);
    }
    // After other arguments too, and `guestbay help <command>` says the same.
    expect((await cli([name, 'x', '--json', '--help'], t.env)).stdout).toBe(expected);
    expect((await cli(['help', name], t.env)).stdout).toBe(expected);
  });

  it('the real command: `guestbay start --help`', async () => {
    const r = await guestbay(['start', '--help'], t.env);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^usage: guestbay start N /);
  });
});

describe('a closed pipe', () => {
  it('`guestbay presets | true`: the reader has gone before the first line; no EPIPE trace, exit 0', async () => {
    // `true` exits at once, long before Node has started: every write meets a closed pipe.
    const r = await execa('bash', ['-c', `set -o pipefail; node ${join(ROOT, 'bin/guestbay.mjs')} presets | true`], { env: t.env, reject: false, all: true });
    expect(r.all).toBe('');
    expect(r.exitCode).toBe(0);
  });

  it('`guestbay presets | head -1` prints one line', async () => {
    const r = await execa('bash', ['-c', `set -o pipefail; node ${join(ROOT, 'bin/guestbay.mjs')} presets | head -1`], { env: t.env, reject: false, all: true });
    expect(r.all!.split('\n')).toHaveLength(1);
    expect(r.exitCode).toBe(0);
  });
});
