// One settings section's form: a draft of its values taken from the guest's config, checked on
// the spot with the wizard's rules, sent whole through `guests.update` with the revision the
// draft was made on, and the server's word put next to the field it names. While the draft is
// untouched it follows the config (a change made in another tab or by the CLI shows at once);
// once edited it keeps the revision it started from, so a change made elsewhere meanwhile comes
// back as a conflict that names what changed — never a silent overwrite.
import { useEffect, useRef, useState } from 'react';
import { CallError, type EditResult } from '../../../shared/contract';
import type { VmConfig } from '../../../shared/vm-config';
import { useClient } from '../../store';
import { useGuestEdit } from '../../guest/edit-context';

/** A message per draft field; a field without a message may be absent or undefined. */
export type FieldErrors = Record<string, string | undefined>;

/** The fields that do have a message. */
const withMessages = (e: FieldErrors): FieldErrors => Object.fromEntries(Object.entries(e).filter(([, m]) => m !== undefined));

export interface SectionSpec<D> {
  /** The section's values in a config. */
  from(c: VmConfig): D;
  /** The config with the section's values put in. */
  into(c: VmConfig, d: D): VmConfig;
  /** Checks on the page: a message per draft field. */
  check?(d: D, c: VmConfig): FieldErrors;
  /** The draft field a server field (`cpu.cores`, `network.portForwards.0.hostPort`) belongs to; undefined: the section's own notice. */
  fieldOf?(path: string): string | undefined;
}

export interface Conflict {
  message: string;
  changed: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function useSection<D>(spec: SectionSpec<D>) {
  const client = useClient();
  const ctx = useGuestEdit();
  const [base, setBase] = useState({ config: ctx.config, revision: ctx.revision });
  const [draft, setDraft] = useState<D>(() => spec.from(ctx.config));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<EditResult | null>(null);
  const dirty = !same(spec.from(base.config), draft);
  const specRef = useRef(spec);
  specRef.current = spec;

  // Untouched, the draft follows the config; edited, it keeps its revision (see above).
  useEffect(() => {
    if (ctx.revision === base.revision) return;
    if (!dirty) {
      setBase({ config: ctx.config, revision: ctx.revision });
      setDraft(specRef.current.from(ctx.config));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ctx.revision]);

  const set = (patch: Partial<D>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(null);
    setErrors((old) => {
      const next = { ...old };
      for (const k of Object.keys(patch)) for (const e of Object.keys(next)) if (e === k || e.startsWith(`${k}.`)) delete next[e];
      return next;
    });
  };

  const revert = () => {
    setBase({ config: ctx.config, revision: ctx.revision });
    setDraft(spec.from(ctx.config));
    setErrors({});
    setNotice(null);
    setConflict(null);
  };

  /** Puts a refusal where it belongs: fields next to their inputs, the rest above the section. */
  const refused = (e: unknown) => {
    if (e instanceof CallError && e.wire.name === 'ConflictError') {
      setConflict({ message: e.message, changed: e.fields.map((f) => f.message.replace(/^Changed elsewhere: /, '').replace(/\.$/, '')) });
      return;
    }
    const fields = e instanceof CallError ? e.fields : [];
    const mapped: FieldErrors = {};
    let unplaced = fields.length === 0;
    for (const f of fields) {
      const k = spec.fieldOf?.(f.field);
      if (k) mapped[k] = f.message;
      else unplaced = true;
    }
    setErrors(mapped);
    if (unplaced) setNotice(e);
  };

  /** Sends `config` (default: the draft put into the config it was made on). */
  const save = async (config?: VmConfig, extra: { deleteDiskFiles?: string[] } = {}): Promise<EditResult | null> => {
    setNotice(null);
    setConflict(null);
    setSaved(null);
    const local = withMessages(spec.check?.(draft, base.config) ?? {});
    if (Object.keys(local).length) {
      setErrors(local);
      return null;
    }
    setSaving(true);
    try {
      const r = await client.call('guests.update', { name: ctx.name, revision: base.revision, config: config ?? spec.into(base.config, draft), ...extra });
      ctx.took(r);
      setBase({ config: r.config, revision: r.revision });
      setDraft(spec.from(r.config));
      setErrors({});
      setSaved(r);
      return r;
    } catch (e) {
      refused(e);
      return null;
    } finally {
      setSaving(false);
    }
  };

  /** A call that edits at once (media, USB, forwards, disks): its answer is taken the same way. */
  const run = async <R extends EditResult>(call: () => Promise<R>): Promise<R | null> => {
    setNotice(null);
    setConflict(null);
    setSaved(null);
    setSaving(true);
    const known = ctx.revision;
    try {
      const r = await call();
      ctx.took(r);
      // This section's own change: its draft (if any) now stands on the result, not on the
      // revision before it (a change from elsewhere in between still comes back as a conflict).
      if (base.revision === known) setBase({ config: r.config, revision: r.revision });
      if (!dirty) setDraft(spec.from(r.config));
      setSaved(r);
      return r;
    } catch (e) {
      refused(e);
      return null;
    } finally {
      setSaving(false);
    }
  };

  /** After a conflict: the guest as it is now; the edits made here are dropped. */
  const reload = async () => {
    const now = await ctx.reload();
    if (!now) return;
    setBase(now);
    setDraft(spec.from(now.config));
    setErrors({});
    setNotice(null);
    setConflict(null);
  };

  return { draft, set, dirty, errors, setErrors, notice, setNotice, conflict, saving, saved, save, run, revert, reload, base };
}

export type Section<D> = ReturnType<typeof useSection<D>>;
