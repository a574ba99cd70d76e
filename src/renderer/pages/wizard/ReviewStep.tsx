// Step 7: the settings as the server made them, and the exact command Start runs.
import { formatSize } from '../../../shared/size';
import { FIRMWARE_LABELS } from '../../../shared/vm-choices';
import { CopyButton } from '../../components/CopyButton';
import { NET_MODE_CHOICES } from '../../components/settings/labels';
import { displayWords, soundWords } from '../../guest-words';
import type { StepProps } from './controls';
import { Mark } from '../../components/Icons';

export function ReviewStep({ preview, busy }: Pick<StepProps, 'preview'> & { busy: boolean }) {
  const c = preview?.config;
  return (
    <>
      {c && (
        <dl className="summary" data-testid="wizard-summary">
          <dt>Name</dt>
          <dd>{c.name}{c.title ? ` — ${c.title}` : ''}</dd>
          <dt>Firmware</dt>
          <dd>{FIRMWARE_LABELS[c.firmware]}{c.tpm.enabled ? ', TPM 2.0' : ''}</dd>
          <dt>CPU and memory</dt>
          <dd data-testid="wizard-summary-cpu">
            {c.cpu.cores} {c.cpu.cores === 1 ? 'core' : 'cores'}, {formatSize(c.memoryMiB * 1024 * 1024)}
            {c.memoryFile ? ' in a file in the guest’s folder (instant switch)' : ''}
          </dd>
          <dt>Disk</dt>
          <dd>{c.disks.map((d) => `${d.path} (${d.format}${d.size ? `, ${formatSize(d.size)}` : ''}, ${d.bus})`).join('; ') || 'none'}</dd>
          <dt>Media</dt>
          <dd>{c.media.map((m) => `${m.role}: ${m.path}`).join('; ') || 'none'}</dd>
          <dt>Network</dt>
          <dd data-testid="wizard-summary-network">
            {c.network.mode === 'none' ? 'none' : `${NET_MODE_CHOICES[c.network.mode].label}, ${c.network.nic}`}
            {c.network.mode === 'user' && c.network.portForwards.length > 0 && `; forwards ${c.network.portForwards.map((f) => `${f.hostAddress}:${f.hostPort} → ${f.guestPort}/${f.protocol}`).join(', ')}`}
          </dd>
          <dt>Display and sound</dt>
          <dd data-testid="wizard-summary-display">
            {displayWords(c.display)}; {soundWords(c.audio)}
          </dd>
          {c.usb.hostDevices.length > 0 && (
            <>
              <dt>USB devices</dt>
              <dd>{c.usb.hostDevices.map((u) => u.label ?? `${u.vendorId}:${u.productId}`).join(', ')}</dd>
            </>
          )}
          <dt>Shared folders</dt>
          <dd data-testid="wizard-summary-shares">
            {[
              ...(c.guestbayFolder && preview?.guestbayFolder ? [`the Guestbay folder ${preview.guestbayFolder.path} as “guestbay” (${preview.guestbayFolder.method ?? 'not on this host'})`] : []),
              ...c.sharedFolders.map((s) => `${s.hostPath} as “${s.tag}” (${s.method})`),
            ].join('; ') || 'none'}
          </dd>
        </dl>
      )}
      <h3>The exact command</h3>
      <p className="hint">This is what Start runs; nothing else is added. Paths to the guest’s own folder appear once it exists.</p>
      {preview?.plan ? (
        <>
          <pre className="command" data-testid="wizard-review-command">{preview.plan.command}</pre>
          <CopyButton text={preview.plan.command} label="Copy command" testId="wizard-review-copy" />
          {preview.plan.warnings.length > 0 && (
            <ul className="warnings" data-testid="wizard-review-warnings">
              {preview.plan.warnings.map((x) => (
                <li key={x.id}>
                  <Mark kind="warning" /> {x.message}
                </li>
              ))}
            </ul>
          )}
          {preview.plan.sidecars.length > 0 && (
            <>
              <h4>Helpers started next to QEMU</h4>
              <ul className="sidecars">
                {preview.plan.sidecars.map((s) => (
                  <li key={s.kind}>
                    <strong>{s.kind}</strong>: {s.purpose}
                    <pre className="command">{s.command}</pre>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      ) : (
        <div className="notice notice-warning" data-testid="wizard-review-command">
          {preview?.planError ? <>This host cannot run the guest as it is: {preview.planError}. You can still create it and fix the host (see Host).</> : busy ? 'Building the command…' : 'The command could not be built yet.'}
        </div>
      )}
    </>
  );
}
