// A TPM 2.0 from swtpm, its state kept in the guest's folder (Windows 11 needs one and
// BitLocker keys live in it: it must survive restarts).
import { opts } from '../qemu-opts';
import { PlanError, type FamilyInput } from './types';

export function addTpm(i: FamilyInput): void {
  const { config, argv, ctx } = i;
  if (!config.tpm.enabled) return;
  if (!i.caps.swtpm) throw new PlanError('a TPM needs swtpm on the host (install swtpm)', 'tpm.enabled');
  const stateDir = `${ctx.vmDir}/tpm`;
  // swtpm splits its option values on commas and has no escape for them.
  for (const p of [stateDir, ctx.runtimeDir, ctx.logDir]) {
    if (p.includes(',')) throw new PlanError(`swtpm cannot use a path with a comma: ${p}`, 'tpm.enabled');
  }
  const socket = `${ctx.runtimeDir}/tpm.sock`;
  i.plan.prepare.push({ kind: 'dir', path: stateDir, mode: 0o700, why: 'the TPM\'s state (keys) persists with the guest' });
  i.plan.sidecars.push({
    id: 'swtpm',
    kind: 'swtpm',
    binary: i.caps.swtpm.path,
    args: [
      'socket',
      '--tpm2',
      '--tpmstate', `dir=${stateDir},mode=0600`,
      '--ctrl', `type=unixio,path=${socket},mode=0600`,
      '--log', `file=${ctx.logDir}/swtpm.log,level=1`,
      // Ends swtpm when QEMU closes the control channel: never left behind.
      '--terminate',
    ],
    socket,
    log: `${ctx.logDir}/swtpm.log`,
    purpose: 'TPM 2.0 emulator',
  });
  argv.add('-chardev', opts('socket', { id: 'tpm0-chr', path: socket }));
  argv.add('-tpmdev', opts('emulator', { id: 'tpm0', chardev: 'tpm0-chr' }));
  // CRB is the interface TPM 2.0 was designed for; TIS where this QEMU lacks it.
  argv.add('-device', opts(i.hasDevice('tpm-crb') ? 'tpm-crb' : 'tpm-tis', { tpmdev: 'tpm0' }));
}
