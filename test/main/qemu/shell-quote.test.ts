import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../../src/main/qemu/shell-quote';

const HOSTILE = ['plain', 'with space', "it's", '$(touch /tmp/pwned)', '`id`', 'a"b', 'back\\slash', '', '*', 'new\nline', '-drive', 'x,,y', '~/file', '!bang'];

describe('shell quoting', () => {
  it('leaves harmless words alone', () => {
    expect(shellQuote('-machine')).toBe('-machine');
    expect(shellQuote('q35,smm=on')).toBe('q35,smm=on');
  });

  it('round-trips every word through a real bash unchanged', () => {
    const script = `printf '%s\\0' ${shellCommand(HOSTILE)}`;
    const out = execFileSync('bash', ['-c', script]).toString('utf8');
    expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });

  it('wraps before each flag, with continuation lines bash accepts', () => {
    const cmd = shellCommand(['qemu-system-x86_64', '-m', '512M', '-name', 'a b']);
    expect(cmd).toBe("qemu-system-x86_64 \\\n  -m 512M \\\n  -name 'a b'");
  });
});
