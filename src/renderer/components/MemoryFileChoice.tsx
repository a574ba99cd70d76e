// "Memory in a file — instant switch" (VmConfig.memoryFile), as the wizard and the guest page's
// CPU and memory section offer it: what it gives and what it costs (disk space the size of the
// memory, the guest's changed memory written to the disk while it runs), or why this QEMU cannot.
import type { HostCaps } from '../../shared/host-caps';
import { formatSize } from '../../shared/size';

export function MemoryFileChoice(p: { checked: boolean; onChange: (on: boolean) => void; memoryMiB: number; host: HostCaps | null | undefined; testId: string }) {
  // A QEMU without x-ignore-shared cannot: said, and the box cannot be ticked (one already ticked can be cleared).
  const noRamFile = Boolean(p.host?.qemu && !p.host.qemu.ramFile);
  return (
    <label className={`check${noRamFile && !p.checked ? ' choice-off' : ''}`}>
      <input type="checkbox" data-testid={p.testId} checked={p.checked} disabled={noRamFile && !p.checked} onChange={(e) => p.onChange(e.target.checked)} />
      <span>
        <strong>Memory in a file — instant switch</strong>
        <span className="hint" data-testid={`${p.testId}-why`}>
          {noRamFile
            ? 'This QEMU cannot leave guest memory out of a save (it lacks the x-ignore-shared migration capability).'
            : `Saving, restoring and switching take a blink: the memory stays in a file instead of being written out. It uses ${formatSize(p.memoryMiB * 2 ** 20)} of disk in the guest’s folder; the host writes the guest’s changed memory to disk while it runs.`}
        </span>
      </span>
    </label>
  );
}
