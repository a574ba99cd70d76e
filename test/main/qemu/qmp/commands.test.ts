// The typed QMP commands send what QEMU expects (names and arguments); real QEMU runs them in
// test/main/vm/supervisor.qemu.test.ts (save/restore through exec: on 7.2 and file: on 10).
import { describe, expect, it } from 'vitest';
import type { QmpClient } from '../../../../src/main/qemu/qmp';
import {
  isPngUnsupported,
  migrateIncomingFromFile,
  migrateToFile,
  mappedRamChannels,
  migrationFileUri,
  NoScreenError,
  pauseVcpus,
  powerDown,
  queryMigrate,
  queryStatus,
  quit,
  resumeVcpus,
  saveFormatFor,
  screendump,
  setSaveFormat,
  systemReset,
} from '../../../../src/main/qemu/qmp/commands';
import { QmpError } from '../../../../src/main/qemu/qmp/errors';

function recorder(answer: (command: string) => unknown = () => ({})) {
  const calls: [string, object | undefined][] = [];
  const client = {
    execute: async (command: string, args?: object) => {
      calls.push([command, args]);
      const a = answer(command);
      if (a instanceof Error) throw a;
      return a;
    },
  } as unknown as QmpClient;
  return { client, calls };
}

describe('typed QMP commands', () => {
  it('send the names QEMU knows', async () => {
    const { client, calls } = recorder((c) => (c === 'query-status' ? { status: 'running', running: true } : {}));
    expect(await queryStatus(client)).toEqual({ status: 'running', running: true });
    await powerDown(client);
    await pauseVcpus(client);
    await resumeVcpus(client);
    await systemReset(client);
    await quit(client);
    await queryMigrate(client);
    expect(calls.map((c) => c[0])).toEqual(['query-status', 'system_powerdown', 'stop', 'cont', 'system_reset', 'quit', 'query-migrate']);
  });

  it('migrate to and from a file straight where QEMU can, through cat otherwise, quoting the path', async () => {
    const path = "/home/a b/it's/state.bin";
    expect(migrationFileUri(path, 'out', { fileMigration: true })).toBe(`file:${path}`);
    expect(migrationFileUri(path, 'in', { fileMigration: true })).toBe(`file:${path}`);
    expect(migrationFileUri(path, 'out', { fileMigration: false })).toBe(`exec:cat > '/home/a b/it'\\''s/state.bin'`);
    expect(migrationFileUri(path, 'in', { fileMigration: false })).toBe(`exec:cat '/home/a b/it'\\''s/state.bin'`);
    const { client, calls } = recorder();
    await migrateToFile(client, '/s', { fileMigration: false });
    await migrateIncomingFromFile(client, '/s', { fileMigration: true });
    expect(calls).toEqual([
      ['migrate', { uri: 'exec:cat > /s' }],
      ['migrate-incoming', { uri: 'file:/s' }],
    ]);
  });

  it('a mapped-ram save (QEMU 9.0+) sets mapped-ram and multifd with its channels; a stream sets nothing', async () => {
    expect(saveFormatFor({ fileMigration: true, mappedRam: true })).toBe('mapped-ram');
    expect(saveFormatFor({ fileMigration: true, mappedRam: false })).toBe('stream');
    expect(saveFormatFor({ fileMigration: false, mappedRam: true })).toBe('stream');
    const { client, calls } = recorder();
    await setSaveFormat(client, 'stream', 4, 'in');
    expect(calls).toEqual([]);
    await setSaveFormat(client, 'mapped-ram', 4, 'in');
    expect(calls).toEqual([
      ['migrate-set-capabilities', { capabilities: [{ capability: 'mapped-ram', state: true }, { capability: 'multifd', state: true }] }],
      ['migrate-set-parameters', { 'multifd-channels': 4 }],
    ]);
  });

  it('direct-io (QEMU 9.1+, a file system with O_DIRECT) goes with the channels, on either side; without it nothing asks for it', async () => {
    const { client, calls } = recorder();
    await setSaveFormat(client, 'mapped-ram', 2, 'out', { directIo: true });
    expect(calls).toEqual([
      ['migrate-set-parameters', { 'max-bandwidth': Number.MAX_SAFE_INTEGER }],
      ['migrate-set-capabilities', { capabilities: [{ capability: 'mapped-ram', state: true }, { capability: 'multifd', state: true }] }],
      ['migrate-set-parameters', { 'multifd-channels': 2, 'direct-io': true }],
    ]);
    calls.length = 0;
    await setSaveFormat(client, 'mapped-ram', 4, 'in', { directIo: true });
    expect(calls.at(-1)).toEqual(['migrate-set-parameters', { 'multifd-channels': 4, 'direct-io': true }]);
    // The fallback (a QEMU or a file system without it): the parameter is not sent at all, so a
    // QEMU that does not know it never sees it.
    calls.length = 0;
    await setSaveFormat(client, 'mapped-ram', 4, 'in', { directIo: false });
    expect(calls.at(-1)).toEqual(['migrate-set-parameters', { 'multifd-channels': 4 }]);
    // Threads: the cores (2 to 4); with O_DIRECT 4 to 8, since each waits on the disk.
    expect([1, 2, 3, 16].map((c) => mappedRamChannels(c))).toEqual([2, 2, 3, 4]);
    expect([1, 2, 6, 16].map((c) => mappedRamChannels(c, true))).toEqual([4, 4, 6, 8]);
    // Only mapped-ram's threads have it: a stream or a memory-file save never asks.
    for (const format of ['stream', 'ram-file'] as const) {
      calls.length = 0;
      await setSaveFormat(client, format, 4, 'out', { directIo: true });
      expect(JSON.stringify(calls)).not.toContain('direct-io');
    }
  });

  it('memory in a file: a stream with x-ignore-shared on both sides, never mapped-ram (QEMU 10.0 fails that save)', async () => {
    expect(saveFormatFor({ fileMigration: true, mappedRam: true }, true)).toBe('ram-file');
    expect(saveFormatFor({ fileMigration: false }, true)).toBe('ram-file');
    const { client, calls } = recorder();
    await setSaveFormat(client, 'ram-file', 4, 'in');
    expect(calls).toEqual([['migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] }]]);
    calls.length = 0;
    await setSaveFormat(client, 'ram-file', 4, 'out');
    expect(calls).toEqual([
      ['migrate-set-parameters', { 'max-bandwidth': Number.MAX_SAFE_INTEGER }],
      ['migrate-set-capabilities', { capabilities: [{ capability: 'x-ignore-shared', state: true }] }],
    ]);
  });

  it('a save lifts QEMU\'s 128 MiB/s migration limit, in either format; a restore has none to lift', async () => {
    const { client, calls } = recorder();
    await setSaveFormat(client, 'stream', 2, 'out');
    expect(calls).toEqual([['migrate-set-parameters', { 'max-bandwidth': Number.MAX_SAFE_INTEGER }]]);
    calls.length = 0;
    await setSaveFormat(client, 'mapped-ram', 2, 'out');
    expect(calls[0]).toEqual(['migrate-set-parameters', { 'max-bandwidth': Number.MAX_SAFE_INTEGER }]);
    expect(calls).toHaveLength(3);
  });

  it('screendump: PPM without a format argument, PNG when asked, and a guest without a screen told apart', async () => {
    const { client, calls } = recorder();
    await screendump(client, '/t/a.ppm');
    await screendump(client, '/t/a.png', 'png');
    expect(calls).toEqual([
      ['screendump', { filename: '/t/a.ppm' }],
      ['screendump', { filename: '/t/a.png', format: 'png' }],
    ]);
    const blind = recorder(() => new QmpError('screendump', 'GenericError', 'There is no console to take a screendump from'));
    await expect(screendump(blind.client, '/t/a.ppm')).rejects.toBeInstanceOf(NoScreenError);
    expect(isPngUnsupported(new QmpError('screendump', 'GenericError', 'Enable PNG support with libpng for screendump'))).toBe(true);
    expect(isPngUnsupported(new Error('libpng'))).toBe(false);
  });
});
