// The in-app file browser over `fs.list`, for when there is no native dialog (headless mode):
// it opens in the folder of the field's current value, shows the folders and the files of the
// types the field takes (all files on request), takes a typed path (Enter goes there, or picks
// it), and closes on Esc.
import { useEffect, useState } from 'react';
import type { CallOutput } from '../../shared/contract';
import { formatSize } from '../../shared/size';
import { useClient } from '../store';
import { Dialog } from './Dialog';
import { ErrorNotice } from './ErrorNotice';
import { FileIcon } from './Icons';

type Listing = CallOutput<'fs.list'>;
export type FileFilter = { name: string; extensions: string[] };

/** Where a browser opened for this field value starts: the folder the value names or lies in. */
export function startFolder(value: string, mode: 'file' | 'dir'): string | undefined {
  const v = value.trim();
  if (!v.startsWith('/') && !v.startsWith('~')) return undefined;
  if (mode === 'dir') return v;
  const cut = v.lastIndexOf('/');
  return cut <= 0 ? '/' : v.slice(0, cut);
}

/** Whether a file name has one of the filters' extensions (any case). */
export function matches(name: string, filters: FileFilter[] | undefined): boolean {
  const exts = (filters ?? []).flatMap((f) => f.extensions.map((e) => e.toLowerCase()));
  if (!exts.length || exts.includes('*')) return true;
  const lower = name.toLowerCase();
  return exts.some((e) => lower.endsWith(`.${e}`));
}

export function FileBrowser({
  mode,
  title,
  start,
  filters,
  onPick,
  onClose,
}: {
  mode: 'file' | 'dir';
  title: string;
  /** The field's current value: the browser starts in its folder. */
  start?: string;
  filters?: FileFilter[];
  onPick(path: string): void;
  onClose(): void;
}) {
  const client = useClient();
  const [dir, setDir] = useState<string | undefined>(() => startFolder(start ?? '', mode));
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [typed, setTyped] = useState('');
  const [all, setAll] = useState(false);
  useEffect(() => {
    let live = true;
    client.call('fs.list', dir === undefined ? {} : { dir }).then(
      (l) => {
        if (!live) return;
        setListing(l);
        setError(null);
        setTyped(l.dir);
      },
      (e: unknown) => {
        if (!live) return;
        // The field's folder is gone: start at home instead of an empty box.
        if (!listing && dir !== undefined) setDir(undefined);
        else setError(e);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, dir]);

  /** A typed path: a folder is opened; a file in the listing of its folder is picked. */
  const go = async () => {
    const p = typed.trim();
    if (!p) return;
    try {
      const l = await client.call('fs.list', { dir: p });
      setDir(l.dir);
      return;
    } catch (e) {
      if (mode !== 'file') {
        setError(e);
        return;
      }
    }
    const folder = startFolder(p, 'file');
    try {
      const l = await client.call('fs.list', folder ? { dir: folder } : {});
      const hit = l.entries.find((x) => x.kind === 'file' && (x.path === p || x.name === p.slice(p.lastIndexOf('/') + 1)));
      if (hit) onPick(hit.path);
      else setError(new Error(`There is no file or folder at ${p}. Check the path, or pick from the list.`));
    } catch (e) {
      setError(e);
    }
  };

  const entries = listing?.entries.filter((e) => e.kind === 'dir' || (mode === 'file' && (all || matches(e.name, filters)))) ?? [];
  const hidden = (listing?.entries.filter((e) => e.kind === 'file').length ?? 0) - entries.filter((e) => e.kind === 'file').length;
  const filterWords = filters?.length ? filters.map((f) => `${f.name} (${f.extensions.map((x) => `.${x}`).join(', ')})`).join('; ') : '';
  return (
    <Dialog label={title} testId="file-browser" onClose={onClose} className="dialog-files" initialFocus="[data-testid='file-path']">
      <header className="dialog-head">
        <h2>{title}</h2>
        <button type="button" className="btn btn-small" data-testid="file-cancel" onClick={onClose}>
          Cancel
        </button>
      </header>
      <form
        className="path-go"
        onSubmit={(e) => {
          e.preventDefault();
          void go();
        }}
      >
        <label htmlFor="file-path" className="visually-hidden">
          Path
        </label>
        <input id="file-path" data-testid="file-path" value={typed} spellCheck={false} onChange={(e) => setTyped(e.target.value)} placeholder="/path/to/a/folder or file" />
        <button type="submit" className="btn btn-small">
          {mode === 'file' ? 'Go or pick' : 'Go'}
        </button>
      </form>
      {error !== null && <ErrorNotice error={error} />}
      <ul className="file-list" aria-label={`Contents of ${listing?.dir ?? 'the folder'}`}>
        {listing?.parent && (
          <li>
            <button type="button" className="file-entry" data-testid="file-parent" onClick={() => setDir(listing.parent!)}>
              <span>
                <FileIcon kind="up" /> Parent folder
              </span>
            </button>
          </li>
        )}
        {entries.map((e) => (
          <li key={e.path}>
            <button
              type="button"
              className={`file-entry file-${e.kind}`}
              data-testid={`file-entry-${e.name}`}
              onClick={() => (e.kind === 'dir' ? setDir(e.path) : mode === 'file' && onPick(e.path))}
            >
              <span>
                <FileIcon kind={e.kind} /> {e.name}
              </span>
              {e.size !== undefined && e.kind === 'file' && <span className="muted">{formatSize(e.size)}</span>}
            </button>
          </li>
        ))}
        {listing && entries.length === 0 && <li className="muted file-none">{mode === 'file' ? 'No folders or matching files here.' : 'No folders here.'}</li>}
      </ul>
      <footer className="dialog-foot file-foot">
        {mode === 'file' && filterWords && (
          <label className="check-inline">
            <input type="checkbox" data-testid="file-all" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show all files
            <span className="muted">{all ? '' : ` (showing ${filterWords}${hidden > 0 ? `; ${hidden} other ${hidden === 1 ? 'file' : 'files'} hidden` : ''})`}</span>
          </label>
        )}
        {mode === 'dir' && listing && (
          <button type="button" className="btn btn-primary" data-testid="file-use-folder" onClick={() => onPick(listing.dir)}>
            Use this folder
          </button>
        )}
      </footer>
    </Dialog>
  );
}
