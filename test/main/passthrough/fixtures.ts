// The passthrough fixtures (test/fixtures/host/pci/*.json) made into fake hosts.
import { readFile } from 'node:fs/promises';
import { fixture, makeHost, readFixture, type FakeHost, type HostSpec } from '../host/helpers';

export type PciHostName = 'desktop-gpu-alone' | 'desktop-gpu-with-nic' | 'amd-usb-chipset' | 'laptop-no-iommu' | 'intel-igpu-gvtg' | 'intel-igpu-sriov';

export async function pciHost(name: PciHostName, extra: Partial<HostSpec> = {}): Promise<FakeHost> {
  const spec = JSON.parse(await readFile(fixture('pci', `${name}.json`), 'utf8')) as HostSpec;
  return makeHost({ ...spec, ...extra, files: { ...spec.files, ...extra.files }, pciIds: await readFixture('pci', 'pci.ids') });
}
