// The passthrough fixtures (test/fixtures/host/pci/*.json) made into fake hosts.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixture, makeHost, readFixture, type FakeHost, type HostSpec } from '../host/helpers';

export type PciHostName = 'desktop-gpu-alone' | 'desktop-gpu-with-nic' | 'amd-usb-chipset' | 'laptop-no-iommu' | 'intel-igpu-gvtg' | 'intel-igpu-sriov';

export async function pciHost(name: PciHostName, extra: Partial<HostSpec> = {}): Promise<FakeHost> {
  const spec = JSON.parse(await readFile(fixture('pci', `${name}.json`), 'utf8')) as HostSpec;
  return makeHost({ ...spec, ...extra, files: { ...spec.files, ...extra.files }, pciIds: await readFixture('pci', 'pci.ids') });
}

/** A stand-in for `pkexec guestbay-vfio-helper`: appends its arguments to a log; fails on FAIL. */
export async function recordingHelper(at: string, fail = ''): Promise<{ path: string; calls: () => Promise<string[]> }> {
  const log = join(at, 'helper-calls.log');
  const path = join(at, 'stub-helper');
  await writeFile(path, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nif [ "$*" = '${fail}' ]; then echo 'guestbay-vfio-helper: refused: stub told to fail' >&2; exit 2; fi\necho "did $*"\n`);
  await chmod(path, 0o755);
  return { path, calls: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean) };
}

