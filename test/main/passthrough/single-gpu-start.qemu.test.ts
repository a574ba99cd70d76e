// Single-GPU passthrough around a real start and a real end, on this host's QEMU (7.2 here, 10
// in the chroot), with a fixture sysfs (one GPU: amd-usb-chipset) and a stub in place of pkexec
// + the helper that records the operations it is asked for. No GPU, IOMMU or working KVM here,
// so QEMU cannot take the card: the opted-in start fails after the swap, and the host must get
// its GPU back. The end path is proved on the tiny guest under TCG: a run that took the GPU (its
// way back recorded as an opted-in start records it) ends by a crash, and the supervisor that
// watched it gives the GPU back in reverse; a guest that took nothing ends with no helper call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iommuReport } from '../../../src/main/passthrough/iommu-report';
import { singleGpuSteps } from '../../../src/main/passthrough/single-gpu';
import { directRunner } from '../../../src/main/passthrough/helper-runner';
import { giveGpuToGuest, gpuNotGivenBack } from '../../../src/main/vm/single-gpu-run';
import { helperArgs } from '../../../src/main/passthrough/helper';
import type { HostCaps } from '../../../src/shared/host-caps';
import { parseVmConfig } from '../../../src/shared/migrations';
import { guestWorld } from '../../helpers/guests';
import { pciHost, recordingHelper } from './fixtures';

let w: Awaited<ReturnType<typeof guestWorld>>;
beforeAll(async () => {
  w = await guestWorld('gb-sgpu-q-');
});
afterAll(() => w.cleanup());

const GPU = '0000:0c:00.0';

describe('single-GPU passthrough around a start and an end', () => {
  it('an opted-in start that fails after the swap gives the host its GPU back, in reverse; a plain guest\'s start and crash call nothing', async () => {
    const h = await pciHost('amd-usb-chipset');
    const stub = await recordingHelper(w.home);
    const report = await iommuReport(h.options);
    const dry = singleGpuSteps(report, GPU).map((s) => helperArgs(s.op).join(' '));
    // This host as the fixture says: KVM and the IOMMU on (so the plan passes the GPU).
    const real = await w.probe();
    const caps: HostCaps = {
      ...real,
      accel: 'kvm',
      kvm: { ...real.kvm, state: 'usable' },
      iommu: { enabled: true, groups: report.groups.map((g) => ({ id: g.id, devices: g.devices.map(({ address, vendorId, deviceId, classCode, driver, description }) => ({ address, vendorId, deviceId, classCode, driver, description })) })) },
    };
    const sup = w.supervisor(30_000, { probe: async () => caps, passthrough: { probe: h.options, runner: directRunner(stub.path) } });

    await w.create('sg');
    const c = await w.store.get('sg');
    await w.store.update(parseVmConfig({ ...c, pciDevices: [{ address: GPU }, { address: '0000:0c:00.1' }], singleGpu: true }));
    const progress: string[] = [];
    sup.onEvent((e) => e.type === 'progress' && e.name === 'sg' && progress.push(e.message));
    await expect(sup.start('sg', { headless: true })).rejects.toThrow(/QEMU/);
    // Taken in the dry run's order, then given back in reverse, each through the helper.
    expect(await stub.calls()).toEqual(dry);
    expect(progress).toEqual(expect.arrayContaining(['single-GPU passthrough: the host gives its GPU to the guest', 'Hand 0000:0c:00.0, 0000:0c:00.1 to vfio-pci', 'Start the display manager again']));
    expect(await gpuNotGivenBack(w.store.dirs('sg').dir)).toBe(false);

    // A guest that did not opt in: its start and its end (a crash) call the helper for nothing.
    await w.create('plain');
    const before = (await stub.calls()).length;
    const st = await sup.start('plain', { headless: true, accel: 'tcg' });
    expect(st.state).toBe('running');
    expect(await stub.calls()).toHaveLength(before);
    // Now the run takes the GPU as an opted-in start does (QEMU here cannot be given the card
    // itself): the way back is recorded in its folder, the five steps run.
    const host = { runner: directRunner(stub.path), report: () => iommuReport(h.options) };
    await giveGpuToGuest(host, w.store.dirs('plain').dir, parseVmConfig({ ...(await w.store.get('plain')), pciDevices: [{ address: GPU }], singleGpu: true }));
    expect((await stub.calls()).slice(before)).toEqual(dry.slice(0, 5));
    // The guest crashes (QEMU killed): the supervisor that watched it gives the GPU back.
    const ended = new Promise<string>((r) => sup.onEvent((e) => e.type === 'state' && e.status.name === 'plain' && ['stopped', 'crashed'].includes(e.status.state) && r(e.status.state)));
    process.kill(st.pid!, 'SIGKILL');
    expect(await ended).toBe('crashed');
    expect((await stub.calls()).slice(before)).toEqual(dry);
    expect(await gpuNotGivenBack(w.store.dirs('plain').dir)).toBe(false);
  });
});
