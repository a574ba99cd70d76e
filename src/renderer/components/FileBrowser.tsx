// The in-app file browser over `fs.list`, for when there is no native dialog (headless mode).
import { useEffect, useState } from 'react';
import type { CallOutput } from '../../shared/contract';
import { formatSize } from '../../shared/size';
import { useClient } from '../store';
import { ErrorNotice } from './ErrorNotice';

type Listing = CallOutput<'fs.list'>;

export function FileBrowser({ mode, title, onPick, onClose }: { mode: 'file' | 'dir'; title: string; onPick(path: string): void; onClose(): void }) {
  const client = useClient();
  const [dir, setDir] = useState<string | undefined>(undefined);
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    client.call('fs.list', dir === undefined ? {} : { dir }).then(
      (l) => live && (setListing(l), setError(null)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, dir]);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label={title} data-testid="file-browser">
      <div className="dialog">
        <header className="dialog-head">
          <h2>{title}</h2>
          <button type="button" className="btn btn-small" onClick={onClose}>
            Cancel
          </button>
        </header>
        <p className="path-line">
          <code>{listing?.dir ?? '…'}</code>
        </p>
        {error !== null && <ErrorNotice error={error} />}
        <ul className="file-list">
          {listing?.parent && (
            <li>
              <button type="button" className="file-entry" onClick={() => setDir(listing.parent!)}>
                ⬑ Parent folder
              </button>
            </li>
          )}
          {listing?.entries.map((e) => (
            <li key={e.path}>
              <button
                type="button"
                className={`file-entry file-${e.kind}`}
                data-testid={`file-entry-${e.name}`}
                onClick={() => (e.kind === 'dir' ? setDir(e.path) : mode === 'file' && onPick(e.path))}
              >
                <span>{e.kind === 'dir' ? '📁' : '📄'} {e.name}</span>
                {e.size !== undefined && e.kind === 'file' && <span className="muted">{formatSize(e.size)}</span>}
              </button>
            </li>
          ))}
        </ul>
        {mode === 'dir' && listing && (
          <footer className="dialog-foot">
            <button type="button" className="btn btn-primary" onClick={() => onPick(listing.dir)}>
              Use this folder
            </button>
          </footer>
        )}
      </div>
    </div>
  );
}
