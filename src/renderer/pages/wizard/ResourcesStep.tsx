// Step 4: cores, memory, and a new or existing system disk, against what this host has.
import { useEffect, useState } from 'react';
import { diskSpaceProblem } from '../../../shared/disk-space';
import { minSystemDiskBytes, parseMemoryGiBText } from '../../../shared/limits';
import { formatSize, parseSize } from '../../../shared/size';
import { MemoryFileChoice } from '../../components/MemoryFileChoice';
import { FieldError, PathField } from '../../components/PathField';
import { useApp, useClient } from '../../store';
import { sentence } from './choices';
import { controls, Field, type StepProps } from './controls';
import { guestOsOf, presetDefaults } from './model';

/** "32G" for 32 GiB: what a user would type. */
function sizeText(bytes: number): string {
  return formatSize(bytes).replace(/ ([KMGTP])iB$/, '$1');
}

/** Free space in the guests folder, where the new disk is made (host.freeSpace, statfs). */
function useGuestsFolderSpace() {
  const client = useClient();
  const [space, setSpace] = useState<{ path: string; freeBytes: number } | null>(null);
  useEffect(() => {
    let live = true;
    client.call('host.freeSpace', {}).then(
      (r) => live && setSpace(r),
      () => live && setSpace(null),
    );
    return () => {
      live = false;
    };
  }, [client]);
  return space;
}

export function ResourcesStep(p: StepProps) {
  const { w, update, err, reason, preset } = p;
  const host = useApp((s) => s.host);
  const space = useGuestsFolderSpace();
  const { input } = controls(p);
  const threads = host?.cpu.threads;
  const totalGiB = host ? host.memory.totalMiB / 1024 : undefined;
  const d = presetDefaults(w, preset);
  const memoryGiB = d.memoryMiB / 1024;
  const diskSize = sizeText(d.diskSize);
  const typed = w.diskSize.trim() ? parseSize(w.diskSize) : { ok: true as const, bytes: d.diskSize };
  // Every new disk is sparse (create makes no preallocated one): too large is a warning, as create says.
  const spaceVerdict = space && typed.ok ? diskSpaceProblem(typed.bytes, space.freeBytes, space.path) : null;
  const min = minSystemDiskBytes(guestOsOf(preset));
  const typedMemory = w.memoryGiB.trim() ? parseMemoryGiBText(w.memoryGiB) : ({ ok: true, memoryMiB: d.memoryMiB } as const);
  return (
    <>
      <Field
        id="field-cores"
        label="CPU cores"
        error={err('cores')}
        hint={<>{threads ? `This host has ${threads} threads. ` : ''}Recommended: {d.cores}.{reason('cpu.cores') ? ` ${sentence(reason('cpu.cores')!)}` : ''}</>}
      >
        {input('cores', { inputMode: 'numeric', placeholder: String(d.cores) })}
      </Field>
      <Field
        id="field-memory"
        label="Memory (GiB)"
        error={err('memoryGiB')}
        hint={<>{totalGiB ? `This host has ${totalGiB.toFixed(1)} GiB, ${((host?.memory.availableMiB ?? 0) / 1024).toFixed(1)} GiB free now. ` : ''}Recommended: {memoryGiB} GiB.{reason('memoryMiB') ? ` ${sentence(reason('memoryMiB')!)}` : ''}</>}
      >
        {input('memoryGiB', { inputMode: 'decimal', placeholder: String(memoryGiB) })}
      </Field>
      <div className="check-block">
        <MemoryFileChoice testId="wizard-memory-file" checked={w.memoryFile} onChange={(on) => update({ memoryFile: on })} memoryMiB={typedMemory.ok ? typedMemory.memoryMiB : d.memoryMiB} host={host} />
        <FieldError id="wizard-memory-file" message={err('memoryFile')} />
      </div>
      <fieldset className="choices">
        <legend>System disk</legend>
        <label className={`choice${w.diskMode === 'new' ? ' selected' : ''}`}>
          <input type="radio" name="disk" data-testid="wizard-disk-new" checked={w.diskMode === 'new'} onChange={() => update({ diskMode: 'new' })} />
          <span>
            <strong>Create a new disk</strong>
            <span className="hint">A qcow2 image in the guest’s folder: it grows as the guest writes, up to the size below.</span>
          </span>
        </label>
        <label className={`choice${w.diskMode === 'existing' ? ' selected' : ''}`}>
          <input type="radio" name="disk" data-testid="wizard-disk-existing" checked={w.diskMode === 'existing'} onChange={() => update({ diskMode: 'existing' })} />
          <span>
            <strong>Use an existing image</strong>
            <span className="hint">A qcow2 or raw image with an installed system; used where it is, never copied.</span>
          </span>
        </label>
      </fieldset>
      {w.diskMode === 'new' ? (
        <Field
          id="field-disk-size"
          label="Disk size"
          error={err('diskSize')}
          hint={`A number with a unit: 64G, 512M, 1.5T. Recommended: ${diskSize}${min ? `; at least ${sizeText(min)}` : ''}.${space && !spaceVerdict ? ` ${formatSize(space.freeBytes)} free in ${space.path}.` : ''}`}
        >
          {input('diskSize', { placeholder: diskSize })}
          {spaceVerdict && !err('diskSize') && (
            <p className="field-warning" role="status" data-testid="field-disk-size-warning">
              {spaceVerdict.message}
            </p>
          )}
        </Field>
      ) : (
        <PathField
          id="field-existing-disk"
          label="Disk image"
          value={w.existingDisk}
          onChange={(v) => update({ existingDisk: v })}
          error={err('existingDisk')}
          filters={[{ name: 'Disk images', extensions: ['qcow2', 'img', 'raw'] }]}
        />
      )}
    </>
  );
}
