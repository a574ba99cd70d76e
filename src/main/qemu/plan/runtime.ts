// How Guestbay talks to and watches the running QEMU: QMP, pidfile, serial console + log.
import { opts } from '../qemu-opts';
import { SHUTDOWN_TRACE_EVENT } from '../probe/help';
import { qgaSocketPath } from './guest-agent';
import { PlanError, type FamilyInput, type LaunchPlan } from './types';

/** sun_path holds 108 bytes including the NUL. */
const MAX_SOCKET_PATH = 107;

export function runtimePaths(ctx: FamilyInput['ctx']): LaunchPlan['runtime'] {
  return {
    qmpSocket: `${ctx.runtimeDir}/qmp.sock`,
    qmpCtlSocket: `${ctx.runtimeDir}/qmp-ctl.sock`,
    pidFile: `${ctx.runtimeDir}/qemu.pid`,
    serialSocket: `${ctx.runtimeDir}/serial.sock`,
    serialLog: `${ctx.logDir}/serial.log`,
    qemuLog: `${ctx.logDir}/qemu.log`,
    qgaSocket: qgaSocketPath(ctx.runtimeDir),
  };
}

export function addRuntime(i: FamilyInput, rt: LaunchPlan['runtime']): void {
  const { argv, ctx } = i;
  for (const s of [rt.qmpSocket, rt.qmpCtlSocket, `${ctx.runtimeDir}/vnc.sock`, qgaSocketPath(ctx.runtimeDir), ...i.plan.sidecars.map((c) => c.socket)]) {
    if (Buffer.byteLength(s) > MAX_SOCKET_PATH) {
      throw new PlanError(`the socket path ${s} is longer than Linux allows (${MAX_SOCKET_PATH} bytes): use a shorter guest name or runtime directory`, 'name');
    }
  }
  i.plan.prepare.unshift({ kind: 'dir', path: ctx.runtimeDir, mode: 0o700, why: 'sockets private to you' });
  i.plan.prepare.unshift({ kind: 'dir', path: ctx.logDir, mode: 0o700, why: 'logs kept after the guest ends' });
  argv.add('-qmp', opts(`unix:${rt.qmpSocket}`, { server: true, wait: false }));
  argv.add('-qmp', opts(`unix:${rt.qmpCtlSocket}`, { server: true, wait: false }));
  argv.add('-pidfile', rt.pidFile);
  // Every shutdown request is written to QEMU's own log with its cause, so how a run ended is
  // known even when no Guestbay process watched it end (vm/exit-record.ts reads it).
  if (i.qemu.shutdownTrace) argv.add('-trace', SHUTDOWN_TRACE_EVENT);
  // A socket for the live console and a log file that records everything, connected or not.
  // Appended to (O_APPEND), so the log can be rotated from outside while QEMU writes it
  // (vm/log-rotation.ts; each start moves the previous run's log aside first).
  argv.add('-chardev', opts('socket', { id: 'serial0', path: rt.serialSocket, server: true, wait: false, logfile: rt.serialLog, logappend: true }));
  argv.add('-serial', 'chardev:serial0');
}

/** How this run begins: CPUs stopped (`-S`), waiting for a saved state (`-incoming defer`). Not part of the machine. */
export function runModeArgs(ctx: FamilyInput['ctx']): string[] {
  return [...(ctx.paused ? ['-S'] : []), ...(ctx.incoming ? ['-incoming', 'defer'] : [])];
}
