// A guest as a standalone bash script: the launch plan's preparation, its sidecars and QEMU,
// exactly as Guestbay starts them and nothing more, for running the guest without Guestbay. The
// lines come from the same builders as `guestbay cmdline` (prepareAsShell, shellCommand).
import type { LaunchPlan } from '../qemu/plan';
import { shellCommand, shellQuote } from '../qemu/shell-quote';
import { prepareAsShell } from '../vm/prepare';

export function launchScript(name: string, plan: LaunchPlan, o: { from?: string } = {}): string {
  const lines = [
    '#!/usr/bin/env bash',
    `# The guest "${name.replace(/[^A-Za-z0-9._-]/g, '?')}" as Guestbay starts it (${o.from ?? 'guestbay export --script'}).`,
    '# Sockets and logs stay where Guestbay keeps them; do not run it while Guestbay runs the guest.',
    'set -euo pipefail',
    ...plan.warnings.map((w) => `# warning: ${w.message.replace(/[\r\n]+/g, ' ')}`),
    ...prepareAsShell(plan),
  ];
  if (plan.sidecars.length) {
    // Sidecars end with the script, however it ends.
    lines.push('sidecars=()', 'cleanup() { [ ${#sidecars[@]} -eq 0 ] || kill "${sidecars[@]}" 2>/dev/null || true; }', 'trap cleanup EXIT');
    for (const s of plan.sidecars) {
      const sock = shellQuote(s.socket);
      lines.push(
        `# ${s.kind}: ${s.purpose.replace(/[\r\n]+/g, ' ')}`,
        `rm -f ${sock}`,
        `${shellCommand([s.binary, ...s.args], { wrap: false })} >>${shellQuote(s.log)} 2>&1 &`,
        'sidecars+=($!)',
        `for _ in $(seq 100); do [ -S ${sock} ] && break; sleep 0.1; done`,
        `[ -S ${sock} ] || { echo ${shellQuote(`${s.kind} did not start: see ${s.log}`)} >&2; exit 1; }`,
      );
    }
    lines.push(shellCommand([plan.binary, ...plan.args]));
  } else {
    lines.push(`exec ${shellCommand([plan.binary, ...plan.args])}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The same start as text to paste into a terminal (`guestbay cmdline`, the app's Copy): the
 * script's lines in a subshell, so its `set -e`, its trap and its `exec` end with it and never
 * with the user's own shell; Ctrl+C ends QEMU and the sidecars together.
 */
export function pasteableCommand(name: string, plan: LaunchPlan): string {
  const body = launchScript(name, plan, { from: 'guestbay cmdline' })
    .split('\n')
    .filter((l) => l && !l.startsWith('#!'));
  return `(\n${body.join('\n')}\n)`;
}
