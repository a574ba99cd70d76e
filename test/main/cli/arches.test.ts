// The CLI treats every architecture alike (issue 21): `list` and `show` name each guest's, and say
// which this computer emulates (here a PC: ARM and RISC-V guests are emulated).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempHome } from '../../helpers/cli';

let t: Awaited<ReturnType<typeof tempHome>>;
beforeAll(async () => {
  t = await tempHome('gb-cli-arch-');
  const iso = join(t.home, 'x.iso');
  await writeFile(iso, 'iso');
  for (const [preset, name] of [['linux', 'pc'], ['linux-aarch64', 'arm'], ['linux-riscv64', 'rv']]) {
    const r = await cli(['create', '--preset', preset!, '--name', name!, '--disk-size', '1G', '--iso', iso], t.env);
    expect(r.code, r.stderr).toBe(0);
  }
});
afterAll(() => t?.cleanup());

describe.skipIf(process.arch !== 'x64')('guests of every architecture on a PC', () => {
  it('`list` prints each guest\'s architecture, emulated ones said', async () => {
    const lines = (await cli(['list'], t.env)).stdout.trim().split('\n');
    const arch = (name: string) => lines.find((l) => l.startsWith(`${name}\t`))?.split('\t')[3];
    expect(arch('pc')).toBe('x86_64');
    expect(arch('arm')).toBe('aarch64 (emulated)');
    expect(arch('rv')).toBe('riscv64 (emulated)');
    const listed = JSON.parse((await cli(['list', '--json'], t.env)).stdout) as { name: string; arch: string }[];
    expect(Object.fromEntries(listed.map((g) => [g.name, g.arch]))).toEqual({ pc: 'x86_64', arm: 'aarch64', rv: 'riscv64' });
  });

  it('`show` prints the architecture, and why an emulated one is slow', async () => {
    expect((await cli(['show', 'arm'], t.env)).stdout).toMatch(/^ {2}architecture ARM \(aarch64\) \(emulated\): ARM \(aarch64\) is not this computer’s architecture \(x86_64 \(PC\)\): QEMU emulates every instruction/m);
    expect((await cli(['show', 'rv'], t.env)).stdout).toMatch(/^ {2}architecture RISC-V \(riscv64\) \(emulated\): /m);
    const pc = (await cli(['show', 'pc'], t.env)).stdout;
    expect(pc).toMatch(/^ {2}architecture x86_64 \(PC\)$/m);
    expect(JSON.parse((await cli(['show', 'arm', '--json'], t.env)).stdout).arch).toBe('aarch64');
  });
});
