// The IOMMU report as lines of text, for `guestbay iommu` (the app's page draws the same report).
import type { IommuReport } from '../../shared/iommu-report';

const LOADER: Record<IommuReport['bootLoader'], string> = { grub: 'GRUB', 'systemd-boot': 'systemd-boot', limine: 'Limine', unknown: 'an unknown boot loader' };
const KIND: Record<IommuReport['verdicts'][number]['kind'], string> = { alone: '✓ alone', 'whole-group': '! whole group', cannot: '✗ cannot' };

export function formatIommuReport(r: IommuReport): string[] {
  const out: string[] = [];
  if (r.enabled) {
    out.push(`IOMMU: on, ${r.groups.length} groups (boot loader: ${LOADER[r.bootLoader]}).`);
    if (!r.paramsPresent) out.push(`  Recommended on the kernel command line: ${r.kernelParams.join(' ')} (see below).`);
  } else {
    out.push('IOMMU: off — no PCI device can be passed to a guest until it is on.');
  }
  if (!r.enabled || !r.paramsPresent) {
    out.push(`To turn it on (${LOADER[r.bootLoader]}):`);
    r.howToEnable.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
  }
  const verdictOf = new Map(r.verdicts.map((v) => [v.address, v]));
  const bridges = new Set(r.verdicts.flatMap((v) => v.staysWithHost));
  for (const g of r.groups) {
    out.push('', `Group ${g.id}`);
    for (const d of g.devices) {
      const v = verdictOf.get(d.address);
      out.push(`  ${d.address}  ${d.description}  [${d.vendorId}:${d.deviceId}] ${d.className}, driver ${d.driver ?? 'none'}${d.reset.flr ? ', FLR' : ''}`);
      if (bridges.has(d.address)) out.push('      = stays with the host: a PCI bridge is never passed, and VFIO lets it stay in the group');
      if (v) {
        out.push(`      ${KIND[v.kind]}: ${v.summary}`);
        for (const n of v.notes) out.push(`      ${n}`);
      }
      for (const t of d.mdevTypes) out.push(`      GVT-g type ${t.id} (${t.available} free): ${t.description}`);
      if (d.physfn) out.push(`      SR-IOV virtual function of ${d.physfn}`);
    }
  }
  if (r.igpuNotes.length) out.push('', 'Intel graphics shares:', ...r.igpuNotes.map((n) => `  ${n}`));
  return out;
}
