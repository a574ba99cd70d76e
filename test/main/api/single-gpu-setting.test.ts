// The single-GPU opt-in (issue 19 item 3): `single-gpu=on` (or `singleGpu=on`) through the
// contract and the CLI, refused field by field unless the guest passes a GPU and the host has
// exactly one, writing nothing when refused. The host's IOMMU groups come from fixtures.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iommuReport } from '../../../src/main/passthrough/iommu-report';
import type { Reply, WireError } from '../../../src/shared/contract';
import type { HostCaps } from '../../../src/shared/host-caps';
import { apiWorld } from '../../helpers/api';
import { cli } from '../../helpers/cli';
import { pciHost, type PciHostName } from '../passthrough/fixtures';

let iommu: HostCaps['iommu'] = { enabled: false, groups: [] };
let w: Awaited<ReturnType<typeof apiWorld>>;
beforeAll(async () => {
  // The probe's answer is kept, so its groups are read each time (each test sets its host).
  w = await apiWorld('gb-sgpu-set-', { caps: (real) => Object.defineProperty({ ...real }, 'iommu', { get: () => iommu, enumerable: true }) });
});
afterAll(() => w.cleanup());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(r: Reply): any {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.name}: ${r.error.message}`);
  return r.output;
}
function failed(r: Reply): WireError {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.output)}`);
  return r.error;
}
async function host(name: PciHostName) {
  const r = await iommuReport((await pciHost(name)).options);
  iommu = { enabled: r.enabled, groups: r.groups.map((g) => ({ id: g.id, devices: g.devices.map(({ address, vendorId, deviceId, classCode, driver, description }) => ({ address, vendorId, deviceId, classCode, driver, description })) })) };
}
const vmJson = (name: string) => readFile(w.store.dirs(name).configFile, 'utf8');

describe('single-gpu=on', () => {
  it('refused for a guest that passes no GPU, allowed once it does on a one-GPU host, and off again', async () => {
    await host('amd-usb-chipset');
    ok(await w.call('guests.create', { preset: 'linux', name: 'sg', diskSize: '1G' }));
    const before = await vmJson('sg');
    const e = failed(await w.call('guests.set', { name: 'sg', assignments: ['single-gpu=on'] }));
    expect(e.fields).toEqual([{ field: 'single-gpu', message: expect.stringMatching(/^Single-GPU passthrough gives this guest the computer's only GPU, but the guest passes no GPU through: add the GPU/) }]);
    expect(await vmJson('sg')).toBe(before);
    expect(JSON.parse(before).singleGpu).toBeUndefined(); // off by default

    const { config, revision } = ok(await w.call('guests.get', { name: 'sg' }));
    const on = ok(await w.call('guests.update', { name: 'sg', revision, config: { ...config, pciDevices: [{ address: '0000:0c:00.0' }, { address: '0000:0c:00.1' }], singleGpu: true } }));
    expect(on.config.singleGpu).toBe(true);
    expect(JSON.parse(await vmJson('sg')).singleGpu).toBe(true);
    // As vm.json spells it, too.
    expect(ok(await w.call('guests.set', { name: 'sg', assignments: ['singleGpu=off'] })).config.singleGpu).toBeUndefined();
    expect(ok(await w.call('guests.set', { name: 'sg', assignments: ['singleGpu=on'] })).config.singleGpu).toBe(true);
    expect(failed(await w.call('guests.set', { name: 'sg', assignments: ['single-gpu=maybe'] })).fields?.[0]?.field).toBe('single-gpu');
  });

  it('refused on a host with two GPUs, naming them', async () => {
    await host('desktop-gpu-with-nic');
    ok(await w.call('guests.create', { preset: 'linux', name: 'two', diskSize: '1G' }));
    const { config, revision } = ok(await w.call('guests.get', { name: 'two' }));
    const e = failed(await w.call('guests.update', { name: 'two', revision, config: { ...config, pciDevices: [{ address: '0000:0a:00.0' }], singleGpu: true } }));
    expect(e.fields).toEqual([{ field: 'singleGpu', message: expect.stringMatching(/^Single-GPU passthrough is for a computer with exactly one GPU, and this one has 2 \(0000:0a:00\.0 Advanced Micro Devices.*; 0000:0c:00\.0 NVIDIA/) }]);
    expect(JSON.parse(await vmJson('two')).singleGpu).toBeUndefined();
  });

  it('the CLI says it plainly, from this host\'s own probe', async () => {
    ok(await w.call('guests.create', { preset: 'linux', name: 'cli', diskSize: '1G' }));
    const r = await cli(['set', 'cli', 'singleGpu=on'], w.env);
    expect(r.code).toBe(1);
    // These machines have no IOMMU; one that has reads "passes no GPU through" instead.
    expect(r.stderr).toMatch(/^guestbay: the request was refused, nothing was written:\n {2}single-gpu: Single-GPU passthrough (needs the IOMMU on, and it is off on this computer|gives this guest the computer's only GPU, but the guest passes no GPU through)/);
    expect((await cli(['set', '--help'], w.env)).stdout).toContain('  single-gpu: Single-GPU passthrough: the host gives its only GPU');
  });
});
