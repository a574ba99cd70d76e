// The in-app file browser over `fs.list`, for when there is no native dialog (headless mode):
// it opens in the folder of the field's current value, shows the folders and the files of the
// types the field takes (all files on request), takes a typed path (Enter goes there, or picks
// it), and closes on Esc.
import { useEffect, useState } from 'react';
import { formatSize } from '../../shared/size';
import { CallError, type CallOutput } from '../../shared/contract';
import { asSentence } from '../text';
import { useClient } from '../store';
import { Dialog } from './Dialog';
import { ErrorNotice } from './ErrorNotice';
import { FileIcon } from './Icons';

type Listing = CallOutput<'fs.list'>;
export type FileFilter = { name: string; extensions: string[] };

/** The folder a path lies in ("/a/b.iso" → "/a", "/a" → "/"); undefined for "/" and relative paths. */
export function parentOf(path: string): string | undefined {
  const v = path.trim().replace(/(.)\/+$/, '$1');
  if (!v.startsWith('/') && !v.startsWith('~')) return undefined;
  const cut = v.lastIndexOf('/');
  if (v === '/' || v === '~') return undefined;
  return cut <= 0 ? (v.startsWith('~') ? '~' : '/') : v.slice(0, cut);
}

/**
 * Where a browser opened for this field value tries first: the value itself (a folder field, or
 * a file field holding a folder). When that is a file or is gone, the browser goes up a folder
 * at a time (`parentOf`) to the nearest one that exists; with no value, the home folder.
 */
export function startFolder(value: string): string | undefined {
  const v = value.trim().replace(/(.)\/+$/, '$1');
  return v.startsWith('/') || v.startsWith('~') ? v : undefined;
}

/** Whether a file name has one of the filters' extensions (any case). */
export function matches(name: string, filters: FileFilter[] | undefined): boolean {
  const exts = (filters ?? []).flatMap((f) => f.extensions.map((e) => e.toLowerCase()));
  if (!exts.length || exts.includes('*')) return true;
  const lower = name.toLowerCase();
  return exts.some((e) => lower.endsWith(`.${e}`));
}

/** A typed path that leads nowhere, in words: the server's reason when it has one ("/x does not exist"). */
function wrongPath(path: string, e: unknown, what: string): Error {
  const why = e instanceof CallError && e.fields.length ? e.fields.map((f) => f.message).join('; ') : `there is no ${what} at ${path}`;
  return new Error(`${asSentence(why)} Check the path, or pick from the list.`);
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
  const [dir, setDir] = useState<string | undefined>(() => startFolder(start ?? ''));
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
        // Not opened yet and the field holds a file, or a path that is gone: its folder, else
        // the nearest one above that exists (the home folder when none does).
        if (!listing && dir !== undefined) setDir(parentOf(dir));
        else setError(wrongPath(dir ?? '~', e, 'folder'));
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, dir]);

  /** A typed path: a folder is opened; a file in the listing of its folder is picked; anything else is said. */
  const go = async () => {
    const p = typed.trim();
    if (!p) return;
    try {
      const l = await client.call('fs.list', { dir: p });
      setDir(l.dir);
      return;
    } catch (e) {
      if (mode !== 'file') {
        setError(wrongPath(p, e, 'folder'));
        return;
      }
    }
    const folder = parentOf(p);
    try {
      const l = await client.call('fs.list', folder ? { dir: folder } : {});
      const hit = l.entries.find((x) => x.kind === 'file' && (x.path === p || x.name === p.slice(p.lastIndexOf('/') + 1)));
      if (hit) onPick(hit.path);
      else setError(wrongPath(p, undefined, 'file or folder'));
    } catch (e) {
      setError(wrongPath(p, e, 'file or folder'));
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
      {/* Not a <form>: the picker opens inside other forms (the wizard's), and Enter here must
          neither submit nor reach them. */}
      <div className="path-go" role="group" aria-label="Go to a path">
        <label htmlFor="file-path" className="visually-hidden">
          Path
        </label>
        <input
          id="file-path"
          data-testid="file-path"
          value={typed}
          spellCheck={false}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            e.stopPropagation();
            void go();
          }}
          placeholder="/path/to/a/folder or file"
        />
        <button type="button" className="btn btn-small" data-testid="file-go" onClick={() => void go()}>
          {mode === 'file' ? 'Go or pick' : 'Go'}
        </button>
      </div>
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
          <div className="file-filter">
            <label className="check-inline">
              <input type="checkbox" data-testid="file-all" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show all files
            </label>
            {!all && <span className="muted">{`(showing ${filterWords}${hidden > 0 ? `; ${hidden} other ${hidden === 1 ? 'file' : 'files'} hidden` : ''})`}</span>}
          </div>
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
