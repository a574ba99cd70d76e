// `guestbay iommu`: IOMMU on or off (and how to turn it on with this boot loader), every group
// with its devices, and whether each GPU, GPU audio function and USB controller can be passed.
import { iommuReport } from '../../passthrough/iommu-report';
import { formatIommuReport } from '../../passthrough/iommu-text';
import { parse, type Command } from '../common';
import { json } from '../output';

export const iommu: Command = async (e, args) => {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const report = await iommuReport({ env: e.env });
  if (values.json) return json(e.io, report), 0;
  for (const line of formatIommuReport(report)) e.io.out(line);
  return 0;
};
