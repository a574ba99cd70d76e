// The shared folders of a running guest, on its page: mounted in the guest (its agent says so,
// asked again every few seconds so the line changes once the agent answers or the user mounts
// it), or else the exact one line that mounts it for this guest's OS and method, with a copy
// button, and the guest tools disk to insert (it mounts the folders at every boot).
import { useEffect, useState } from 'react';
import type { CallOutput } from '../../shared/contract';
import type { ShareMountStatus } from '../../shared/contract-guest-tools';
import { useClient } from '../store';
import { CopyButton } from './CopyButton';
import { ErrorNotice } from './ErrorNotice';

const EVERY_MS = 5000;
type Status = CallOutput<'guests.sharedFolders'>;

/** "the Guestbay folder" for the Guestbay-wide share; the tag otherwise. */
const shareName = (tag: string) => (tag === 'guestbay' ? 'The Guestbay folder' : `The shared folder “${tag}”`);

export function SharedFolderStatus({ name, running, everyMs = EVERY_MS }: { name: string; running: boolean; everyMs?: number }) {
  const client = useClient();
  const [status, setStatus] = useState<Status | null>(null);
  const [tools, setTools] = useState<{ busy: boolean; message?: string; error?: unknown }>({ busy: false });
  useEffect(() => {
    setStatus(null);
    if (!running) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      client.call('guests.sharedFolders', { name }).then(
        (r) => alive && setStatus(r),
        () => alive && setStatus(null),
      ).finally(() => {
        if (alive) timer = setTimeout(ask, everyMs);
      });
    };
    ask();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [client, name, running, everyMs]);
  if (!running || !status || status.shares.length === 0) return null;

  const insert = () => {
    setTools({ busy: true });
    client.call('guests.tools', { name, insert: true }).then(
      (r) => setTools({ busy: false, message: r.message }),
      (error: unknown) => setTools({ busy: false, error }),
    );
  };
  const unmounted = status.shares.filter((s) => s.mounted !== true);
  return (
    <div className="shared-folders" data-testid={`shared-folders-${name}`}>
      {status.shares.map((s) => (
        <ShareLine key={s.tag} share={s} agent={status.agent} />
      ))}
      {unmounted.length > 0 && (
        <p className="shared-folders-tools">
          <button type="button" className="btn btn-small" disabled={tools.busy} onClick={insert} data-testid="guest-tools-insert">
            {tools.busy ? 'Making the guest tools…' : 'Insert guest tools'}
          </button>
          <span className="hint">A USB stick with setup for Linux, macOS and Windows that mounts {unmounted.length === 1 ? 'it' : 'them'} at every start and installs the guest agent.</span>
        </p>
      )}
      {tools.message && <p className="edit-outcome" role="status" data-testid="guest-tools-result">{tools.message}</p>}
      {tools.error !== undefined && <ErrorNotice error={tools.error} title="The guest tools could not be inserted" testId="guest-tools-error" />}
    </div>
  );
}

function ShareLine({ share: s, agent }: { share: ShareMountStatus; agent: boolean }) {
  if (s.mounted) {
    return (
      <p className="share-line share-mounted" data-testid={`share-${s.tag}`} data-mounted="yes">
        <span className="share-dot" aria-hidden="true" />
        {shareName(s.tag)} is mounted in the guest at <code>{s.mountpoint}</code> ({s.method}).
      </p>
    );
  }
  return (
    <div className="share-line share-unmounted" data-testid={`share-${s.tag}`} data-mounted={s.mounted === false ? 'no' : 'unknown'}>
      <p>
        {s.mounted === false ? `${shareName(s.tag)} is not mounted in the guest.` : `${shareName(s.tag)} is shared with this guest (${s.method}).`}{' '}
        To mount it at <code>{s.target}</code>, run in the guest:
      </p>
      <p className="share-command">
        <code data-testid={`share-command-${s.tag}`}>{s.command}</code>
        <CopyButton text={s.command} what={`the command that mounts ${s.tag}`} testId={`share-copy-${s.tag}`} />
      </p>
      {!agent && <p className="hint">Guestbay tells whether it is mounted once the guest runs its agent (qemu-guest-agent; the guest tools install it).</p>}
    </div>
  );
}
