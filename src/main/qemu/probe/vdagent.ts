// Whether a guest with QEMU's clipboard agent channel (the qemu-vdagent chardev) can still be
// saved: QEMU 7.2 and 10.0 register a migration blocker for it ("The vdagent chardev doesn't yet
// support migration"); later QEMUs migrate its state. Asked of QEMU itself: a machine-less QEMU
// with the chardev answers `query-migrate` with the blockers it has.

export const VDAGENT_PROBE_ARGS = ['-machine', 'none', '-nodefaults', '-display', 'none', '-chardev', 'qemu-vdagent,id=probe,name=vdagent,clipboard=on', '-qmp', 'stdio'];
export const VDAGENT_PROBE_INPUT = '{"execute":"qmp_capabilities"}\n{"execute":"query-migrate"}\n{"execute":"quit"}\n';

/** True when `query-migrate` names no vdagent blocker; null when QEMU gave no answer to read. */
export function parseVdagentMigrates(stdout: string): boolean | null {
  // Answers come in order: qmp_capabilities's, then query-migrate's (an empty object when
  // nothing blocks), then quit's.
  const answers: unknown[] = [];
  for (const line of stdout.split('\n')) {
    try {
      const msg = JSON.parse(line) as { return?: unknown };
      if ('return' in msg) answers.push(msg.return);
    } catch {
      // a truncated line (QEMU killed by the timeout) is no answer
    }
  }
  const r = answers[1];
  if (!r || typeof r !== 'object') return null;
  const reasons = (r as { 'blocked-reasons'?: unknown })['blocked-reasons'];
  return !(Array.isArray(reasons) && reasons.some((x) => typeof x === 'string' && /vdagent/i.test(x)));
}
