// screenshot/thumbnail against a stub QMP client that acts out the QEMU generations the real
// tests cannot: pre-7.1 (no format argument) and a build without libpng.

import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodePng } from '../../../src/main/media/png';
import { QmpError, type QmpClient } from '../../../src/main/qemu/qmp';
import { schemaHasPngScreendump } from '../../../src/main/qemu/probe/qmp-schema';
import { NoScreenError } from '../../../src/main/qemu/qmp/commands';
import { screenshot, thumbnail } from '../../../src/main/vm/screenshot';
import { decodePng } from '../media/png-check';

const W = 40;
const H = 30;
const pixels = Buffer.alloc(W * H * 3, 0);
for (let i = 0; i < pixels.length; i += 3) pixels.set([(i / 3) % W * 6, 100, 200], i);

function schema(formatValues: string[] | undefined, shape: 'members' | 'values' = 'members'): unknown[] {
  const members = [{ name: 'filename', type: 'str' }, { name: 'device', type: 'str', default: null }];
  if (formatValues) members.push({ name: 'format', type: '9', default: null });
  const enumType = shape === 'members'
    ? { name: '9', 'meta-type': 'enum', members: formatValues?.map((name) => ({ name })), values: formatValues }
    : { name: '9', 'meta-type': 'enum', values: formatValues };
  return [
    { name: 'screendump', 'meta-type': 'command', 'arg-type': '8', 'ret-type': '0' },
    { name: '8', 'meta-type': 'object', members },
    enumType,
  ];
}

interface Stub {
  client: QmpClient;
  calls: { command: string; args?: Record<string, unknown> }[];
  modes: number[];
}

function stubQemu(opts: { schema: unknown[]; libpng?: boolean; screen?: boolean }): Stub {
  const stub: Stub = { calls: [], modes: [], client: undefined as unknown as QmpClient };
  const execute = async (command: string, args?: Record<string, unknown>): Promise<unknown> => {
    stub.calls.push({ command, args });
    if (command === 'query-qmp-schema') return opts.schema;
    if (command !== 'screendump' || !args) throw new Error(`unexpected ${command}`);
    if (opts.screen === false) throw new QmpError(command, 'GenericError', 'There is no console to take a screendump from');
    const file = args.filename as string;
    stub.modes.push((await stat(file)).mode & 0o777);
    if (args.format === 'png') {
      if (opts.libpng === false) throw new QmpError(command, 'GenericError', 'Enable PNG support with libpng for screendump');
      await writeFile(file, encodePng({ width: W, height: H, data: pixels }));
    } else {
      await writeFile(file, Buffer.concat([Buffer.from(`P6\n${W} ${H}\n255\n`), pixels]));
    }
    return {};
  };
  stub.client = { execute } as unknown as QmpClient;
  return stub;
}

let dir: string;
let workDir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gb-shot-'));
  workDir = path.join(dir, 'run');
  await mkdir(workDir, { mode: 0o700 });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('schemaHasPngScreendump', () => {
  it('reads both enum shapes, and the absence of the argument', () => {
    expect(schemaHasPngScreendump(schema(['ppm', 'png']))).toBe(true);
    expect(schemaHasPngScreendump(schema(['ppm', 'png'], 'values'))).toBe(true);
    expect(schemaHasPngScreendump(schema(['ppm']))).toBe(false);
    expect(schemaHasPngScreendump(schema(undefined))).toBe(false);
    expect(schemaHasPngScreendump([])).toBe(false);
    expect(schemaHasPngScreendump(null)).toBe(false);
  });
});

describe('screenshot', () => {
  it('lets QEMU write the PNG when it can, asking the schema once', async () => {
    const q = stubQemu({ schema: schema(['ppm', 'png']) });
    const out = path.join(dir, 'shot.png');
    expect(await screenshot(q.client, out, { workDir })).toEqual({ format: 'png', width: W, height: H });
    expect(await screenshot(q.client, out, { workDir })).toEqual({ format: 'png', width: W, height: H });
    expect(q.calls.map((c) => c.command)).toEqual(['query-qmp-schema', 'screendump', 'screendump']);
    expect(q.calls[1]?.args?.format).toBe('png');
    expect(path.dirname(q.calls[1]?.args?.filename as string)).toBe(dir);
    expect(await readdir(dir)).toEqual(['run', 'shot.png']);
  });

  it('converts a PPM dump when screendump has no format argument (QEMU < 7.1)', async () => {
    const q = stubQemu({ schema: schema(undefined) });
    const out = path.join(dir, 'shot.png');
    expect(await screenshot(q.client, out, { workDir })).toEqual({ format: 'ppm-converted', width: W, height: H });
    expect(q.calls[1]?.args).toEqual({ filename: expect.stringMatching(/^.*\/run\/screendump-.*\.ppm$/) });
    expect(q.modes).toEqual([0o600]);
    expect(decodePng(await readFile(out)).rgb.equals(pixels)).toBe(true);
    expect(await readdir(workDir)).toEqual([]);
  });

  it('falls back to PPM, for good, when QEMU was built without libpng', async () => {
    const q = stubQemu({ schema: schema(['ppm', 'png']), libpng: false });
    const out = path.join(dir, 'shot.png');
    expect((await screenshot(q.client, out, { workDir })).format).toBe('ppm-converted');
    expect((await screenshot(q.client, out, { workDir })).format).toBe('ppm-converted');
    expect(q.calls.map((c) => c.args?.format ?? c.command)).toEqual(['query-qmp-schema', 'png', 'screendump', 'screendump']);
    expect((await readdir(dir)).sort()).toEqual(['run', 'shot.png']);
  });

  it('says the guest has no screen, and leaves no files behind', async () => {
    for (const formats of [['ppm', 'png'], undefined]) {
      const q = stubQemu({ schema: schema(formats), screen: false });
      const err = await screenshot(q.client, path.join(dir, 'shot.png'), { workDir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NoScreenError);
      expect((err as Error).message).toBe('this guest has no screen to capture');
      expect((err as Error).cause).toBeInstanceOf(QmpError);
    }
    expect(await readdir(dir)).toEqual(['run']);
    expect(await readdir(workDir)).toEqual([]);
  });
});

describe('thumbnail', () => {
  it('dumps PPM and returns a PNG that fits the box', async () => {
    const q = stubQemu({ schema: schema(['ppm', 'png']) });
    const png = decodePng(await thumbnail(q.client, { workDir, maxWidth: 20, maxHeight: 20 }));
    expect([png.width, png.height]).toEqual([20, 15]);
    expect(q.calls.map((c) => c.command)).toEqual(['screendump']);
    expect(await readdir(workDir)).toEqual([]);
  });
});
