// Cores, threads per core, the CPU model and memory, against the wizard's limits (limits.ts):
// this host's threads and memory, the guest system's minimums. A value left as it was is not
// held to this host (a guest moved here from a larger machine can still have its memory changed).
import { coresProblem, hostLimits, memoryProblem, parseCoresText, parseMemoryGiBText } from '../../../shared/limits';
import { useApp } from '../../store';
import { described, Field } from '../Field';
import { MemoryFileChoice } from '../MemoryFileChoice';
import { FieldError } from '../PathField';
import { SectionFrame } from './SectionFrame';
import { useSection, type FieldErrors } from './use-section';

type Draft = { cores: string; threads: string; model: string; memoryGiB: string; memoryFile: boolean };

const MODEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MODELS: [string, string][] = [
  ['auto', 'the host’s CPU under KVM, an emulated one otherwise (an Intel model for macOS on AMD)'],
  ['host', 'the host’s CPU itself (KVM only)'],
  ['max', 'every feature QEMU can emulate'],
  ['Haswell-noTSX', 'an Intel Haswell without TSX'],
  ['Skylake-Client', 'an Intel Skylake'],
  ['EPYC', 'an AMD EPYC'],
];

const gib = (mib: number) => String(Math.round((mib / 1024) * 100) / 100);

export function CpuMemorySection() {
  const host = useApp((s) => s.host);
  const s = useSection<Draft>({
    from: (c) => ({ cores: String(c.cpu.cores), threads: String(c.cpu.threads), model: c.cpu.model, memoryGiB: gib(c.memoryMiB), memoryFile: c.memoryFile === true }),
    into: (c, d) => {
      const { memoryFile: _was, ...rest } = c;
      return {
        ...rest,
        cpu: { ...c.cpu, cores: Number(d.cores.trim()), threads: Number(d.threads), model: d.model.trim() },
        memoryMiB: (parseMemoryGiBText(d.memoryGiB) as { memoryMiB: number }).memoryMiB,
        // Absent is off: the config stays as it was for a guest that never chose it.
        ...(d.memoryFile ? { memoryFile: true } : {}),
      };
    },
    check: (d, c) => {
      const e: FieldErrors = {};
      const limits = host ? hostLimits(host) : undefined;
      const cores = parseCoresText(d.cores);
      const coresMsg = cores.ok ? (cores.cores === c.cpu.cores ? null : coresProblem(cores.cores, c.os, limits)) : cores.error;
      if (coresMsg) e.cores = coresMsg;
      else if (cores.ok && limits && d.threads === '2' && cores.cores * 2 > limits.threads && (cores.cores !== c.cpu.cores || c.cpu.threads !== 2)) {
        e.threads = `${cores.cores} cores with 2 threads each make ${cores.cores * 2} CPUs, and this computer has ${limits.threads} threads: use 1 thread per core, or fewer cores.`;
      }
      const mem = parseMemoryGiBText(d.memoryGiB);
      const memMsg = mem.ok ? (mem.memoryMiB === c.memoryMiB ? null : memoryProblem(mem.memoryMiB, c.os, limits)) : mem.error;
      if (memMsg) e.memoryGiB = memMsg;
      if (!MODEL.test(d.model.trim())) e.model = 'A CPU model is a name like host or Haswell-noTSX (letters, digits, ".", "_" and "-").';
      return e;
    },
    fieldOf: (f) => ({ 'cpu.cores': 'cores', 'cpu.threads': 'threads', 'cpu.model': 'model', memoryMiB: 'memoryGiB', memoryFile: 'memoryFile' })[f],
  });
  const d = s.draft;
  const known = MODELS.find(([m]) => m === d.model.trim());
  const totalGiB = host ? host.memory.totalMiB / 1024 : undefined;
  // What "memory in a file" costs, with the memory as typed (or as saved while the text is not a size).
  const typed = parseMemoryGiBText(d.memoryGiB);
  return (
    <SectionFrame id="cpu" title="CPU and memory" applies="next-start" s={s} why="Half the host’s threads and memory (at most 4 cores) keeps the desktop responsive while the guest runs.">
      <div className="field-row">
        <Field id="settings-cores" label="Cores" error={s.errors.cores} hint={host ? `This computer has ${host.cpu.threads} threads.` : undefined}>
          <input {...described('settings-cores', s.errors.cores)} inputMode="numeric" value={d.cores} onChange={(e) => s.set({ cores: e.target.value })} />
        </Field>
        <Field id="settings-threads" label="Threads per core" error={s.errors.threads} hint="2: the guest sees a hyper-threaded CPU (cores × 2 CPUs).">
          <select {...described('settings-threads', s.errors.threads)} value={d.threads} onChange={(e) => s.set({ threads: e.target.value })}>
            <option value="1">1</option>
            <option value="2">2</option>
          </select>
        </Field>
        <Field
          id="settings-memory"
          label="Memory (GiB)"
          error={s.errors.memoryGiB}
          hint={totalGiB ? `This computer has ${totalGiB.toFixed(1)} GiB, ${((host?.memory.availableMiB ?? 0) / 1024).toFixed(1)} GiB free now.` : undefined}
        >
          <input {...described('settings-memory', s.errors.memoryGiB)} inputMode="decimal" value={d.memoryGiB} onChange={(e) => s.set({ memoryGiB: e.target.value })} />
        </Field>
      </div>
      <MemoryFileChoice testId="settings-memory-file" checked={d.memoryFile} onChange={(on) => s.set({ memoryFile: on })} memoryMiB={typed.ok ? typed.memoryMiB : s.base.config.memoryMiB} host={host} />
      <FieldError id="settings-memory-file" message={s.errors.memoryFile} />
      <Field id="settings-cpu-model" label="CPU model" error={s.errors.model} hint={known ? `${known[0]}: ${known[1]}.` : 'A QEMU CPU model name (qemu-system-x86_64 -cpu help lists them).'}>
        <input {...described('settings-cpu-model', s.errors.model)} list="cpu-models" spellCheck={false} value={d.model} onChange={(e) => s.set({ model: e.target.value })} />
        <datalist id="cpu-models">
          {MODELS.map(([m]) => (
            <option key={m} value={m} />
          ))}
        </datalist>
      </Field>
    </SectionFrame>
  );
}
