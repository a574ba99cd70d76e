// Boots the tiny test guest (test/guest) under TCG with plain execa, reads its serial
// protocol, and powers it off over QMP: ACPI power-down must end QEMU by itself.

import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LineSplitter } from '../../../../src/main/qemu/qmp/wire';
import { ensureTestGuest, type TestGuest } from '../../../guest/guest';
import { exitWithin, startQemu, type QemuRun } from './qemu-process';

/** Serial console lines, with waits for the one a test needs. */
class SerialLog {
  readonly lines: string[] = [];
  private readonly splitter = new LineSplitter();
  private readonly watchers = new Set<() => void>();

  feed(chunk: Buffer): void {
    this.lines.push(...this.splitter.push(chunk));
    for (const w of [...this.watchers]) w();
  }

  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      let from = 0;
      const check = (): void => {
        for (; from < this.lines.length; from++) {
          const m = pattern.exec(this.lines[from] ?? '');
          if (m) {
            this.watchers.delete(check);
            clearTimeout(timer);
            resolve(m);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        this.watchers.delete(check);
        reject(new Error(`no serial line matching ${pattern} within ${timeoutMs} ms; got:\n${this.lines.join('\n')}`));
      }, timeoutMs);
      this.watchers.add(check);
      check();
    });
  }
}

let guest: TestGuest;
let run: QemuRun | undefined;

beforeAll(async () => {
  guest = await ensureTestGuest();
});

afterAll(async () => {
  await run?.dispose();
});

it('boots to GB:READY with disk and DHCP, and powers off on system_powerdown', async () => {
  const serial = new SerialLog();
  run = await startQemu(async (dir) => {
    const disk = path.join(dir, 'disk.qcow2');
    await execa('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '1G'], { timeout: 30_000 });
    return [
      '-m', '256',
      '-no-reboot',
      '-serial', 'stdio',
      '-kernel', guest.kernel,
      '-initrd', guest.initrd,
      '-append', 'console=ttyS0 quiet panic=-1',
      '-drive', `file=${disk},format=qcow2,if=none,id=d0`,
      '-device', 'virtio-blk-pci,drive=d0',
      '-netdev', 'user,id=n0',
      '-device', 'virtio-net-pci,netdev=n0',
    ];
  });
  run.proc.stdout.on('data', (chunk: Buffer) => serial.feed(chunk));
  const client = await run.connect();

  await serial.waitFor(/^GB:READY$/, 90_000);
  console.log(`tiny guest: GB:READY ${Date.now() - run.spawnedAt} ms after spawn (QEMU ${client.qemuVersion.major}.${client.qemuVersion.minor}, TCG)`);
  expect(serial.lines).toContain('GB:BOOT');
  expect(serial.lines).toContain('GB:DISK vda 1073741824');
  expect(serial.lines).toContain('GB:NET eth0 10.0.2.15/24');
  const [, uptime] = await serial.waitFor(/^GB:TICK (\d+\.\d+)$/, 10_000);
  expect(Number(uptime)).toBeGreaterThan(0);

  const powerdown = client.waitForEvent('POWERDOWN', { timeoutMs: 10_000 });
  const shutdown = client.waitForEvent('SHUTDOWN', { timeoutMs: 30_000 });
  await client.execute('system_powerdown');
  await powerdown;
  await serial.waitFor(/^GB:POWEROFF$/, 30_000);
  expect((await shutdown).data).toMatchObject({ guest: true });
  expect((await client.closed).by).toBe('server');
  expect(await exitWithin(run, 30_000)).toMatchObject({ exitCode: 0 });
});
