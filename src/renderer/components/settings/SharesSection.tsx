// Host folders the guest can mount: the folder, the tag the guest mounts it by, how it is shared
// (the methods this guest system can use), read-only or not. Applies at the next start.
import { osTraits } from '../../../shared/os/os-table';
import type { ShareMethod } from '../../../shared/vm-config';
import { useApp } from '../../store';
import { useGuestEdit } from '../../guest/edit-context';
import { described, Field } from '../Field';
import { PathField } from '../PathField';
import { SHARE_METHOD_CHOICES } from './labels';
import { SectionFrame } from './SectionFrame';
import { useSection, type FieldErrors } from './use-section';
import { firstTimeOnly } from '../../text';

type Share = { hostPath: string; tag: string; method: ShareMethod; readOnly: boolean };
type Draft = { shares: Share[] };

const TAG = /^[A-Za-z0-9_-]{1,31}$/;

/** A tag from the folder's name, not one of `used`. */
export function tagFor(path: string, used: string[]): string {
  const base = (path.replace(/\/+$/, '').split('/').pop() || 'share').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 28) || 'share';
  let tag = base;
  for (let n = 2; used.includes(tag); n++) tag = `${base}${n}`;
  return tag;
}

export function SharesSection() {
  const ctx = useGuestEdit();
  const host = useApp((s) => s.host);
  const methods = osTraits(ctx.config.os.family, ctx.config.os.version).shareMethods as ShareMethod[];
  const s = useSection<Draft>({
    from: (c) => ({ shares: c.sharedFolders.map((x) => ({ hostPath: x.hostPath, tag: x.tag, method: x.method, readOnly: x.readOnly })) }),
    into: (c, d) => ({ ...c, sharedFolders: d.shares.map((x) => ({ ...x, hostPath: x.hostPath.trim(), tag: x.tag.trim() })) }),
    check: (d) => {
      const e: FieldErrors = {};
      const tags = new Set<string>();
      d.shares.forEach((x, i) => {
        if (!x.hostPath.trim().startsWith('/')) e[`${i}.hostPath`] = 'Choose a folder (its full path, starting with /), or remove this line.';
        if (!TAG.test(x.tag.trim())) e[`${i}.tag`] = 'A tag is 1 to 31 letters, digits, "_" or "-": the guest mounts the folder by it.';
        else if (tags.has(x.tag.trim())) e[`${i}.tag`] = `The tag "${x.tag.trim()}" is used twice: give each folder its own.`;
        tags.add(x.tag.trim());
      });
      return e;
    },
    fieldOf: (f) => {
      const m = /^sharedFolders\.(\d+)(?:\.(hostPath|tag|method|readOnly))?/.exec(f);
      return m ? `${m[1]}.${m[2] ?? 'hostPath'}` : undefined;
    },
  });
  const shares = s.draft.shares;
  const put = (i: number, patch: Partial<Share>) => s.set({ shares: shares.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const unusable = (m: ShareMethod): string | undefined => {
    if (!host) return undefined;
    if (m === 'virtiofs' && (!host.virtiofsd || !host.virtiofsd.works)) return host.virtiofsd?.reason ?? 'virtiofsd is not installed on this computer (see Host).';
    if (m === 'smb' && !host.tools.smbd) return 'smbd (Samba) is not installed on this computer (see Host).';
    return undefined;
  };
  const once = firstTimeOnly(); // two shares by one method say its why once
  return (
    <SectionFrame id="shares" title="Shared folders" applies="next-start" s={s} why={`Folders of this computer the guest can open. This system can use: ${methods.map((m) => SHARE_METHOD_CHOICES[m].label).join(', ')}.`}>
      {shares.length === 0 && <p className="muted">No shared folders.</p>}
      <ul className="device-list">
        {shares.map((x, i) => (
          <li key={i} className="device share-edit" data-testid={`share-${i}`}>
            <PathField id={`settings-share-${i}`} label="Folder" mode="dir" value={x.hostPath} error={s.errors[`${i}.hostPath`]} onChange={(v) => put(i, { hostPath: v, tag: x.tag || tagFor(v, shares.map((y) => y.tag)) })} />
            <div className="field-row">
              <Field id={`settings-share-${i}-tag`} label="Tag" error={s.errors[`${i}.tag`]} hint={once('What the guest mounts it by.')}>
                <input {...described(`settings-share-${i}-tag`, s.errors[`${i}.tag`])} value={x.tag} spellCheck={false} onChange={(e) => put(i, { tag: e.target.value })} />
              </Field>
              <Field id={`settings-share-${i}-method`} label="Shared by" error={s.errors[`${i}.method`]} hint={once(unusable(x.method) ?? SHARE_METHOD_CHOICES[x.method].why)}>
                <select {...described(`settings-share-${i}-method`, s.errors[`${i}.method`])} value={x.method} onChange={(e) => put(i, { method: e.target.value as ShareMethod })}>
                  {(Object.keys(SHARE_METHOD_CHOICES) as ShareMethod[])
                    .filter((m) => methods.includes(m) || m === x.method)
                    .map((m) => (
                      <option key={m} value={m}>
                        {SHARE_METHOD_CHOICES[m].label}
                        {unusable(m) ? ' (not available here)' : ''}
                      </option>
                    ))}
                </select>
              </Field>
              <label className="check check-compact">
                <input type="checkbox" data-testid={`settings-share-${i}-ro`} checked={x.readOnly} onChange={(e) => put(i, { readOnly: e.target.checked })} />
                <span>Read-only</span>
              </label>
              <button type="button" className="btn btn-small" data-testid={`share-remove-${i}`} aria-label={`Stop sharing ${x.hostPath || 'this folder'}`} onClick={() => s.set({ shares: shares.filter((_, j) => j !== i) })}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <button type="button" className="btn" data-testid="share-add" onClick={() => s.set({ shares: [...shares, { hostPath: '', tag: '', method: methods.find((m) => !unusable(m)) ?? methods[0] ?? 'virtiofs', readOnly: false }] })}>
        Add a folder
      </button>
    </SectionFrame>
  );
}
