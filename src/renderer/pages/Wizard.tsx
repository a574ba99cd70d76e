// The new-guest wizard: a step per decision, each explained, checked on the spot and by the
// server (its field errors land next to the field), ending with the exact QEMU command. This is
// the frame (steps, navigation, checks, create); each step's form is in wizard/.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { CallError } from '../../shared/contract';
import { ErrorNotice } from '../components/ErrorNotice';
import { useApp, useClient } from '../store';
import type { Preview, StepProps } from './wizard/controls';
import { DevicesStep } from './wizard/DevicesStep';
import { FirmwareStep } from './wizard/FirmwareStep';
import { MediaStep, type Identified } from './wizard/MediaStep';
import { buildRequest, fieldKey, initialWizard, MACOS_CHOICE, stepOfField, STEPS, takenName, validateStep, type Errors, type StepId, type WizardState } from './wizard/model';
import { OsStep } from './wizard/OsStep';
import { ResourcesStep } from './wizard/ResourcesStep';
import { ReviewStep } from './wizard/ReviewStep';
import { SharesStep } from './wizard/SharesStep';

export function WizardPage() {
  const client = useClient();
  const host = useApp((s) => s.host);
  const presets = useApp((s) => s.presets);
  const presetsError = useApp((s) => s.presetsError);
  const loadPresets = useApp((s) => s.loadPresets);
  const navigate = useApp((s) => s.navigate);
  const loadGuests = useApp((s) => s.loadGuests);
  const guests = useApp((s) => s.guests);
  const [w, setW] = useState<WizardState>(initialWizard);
  const [step, setStep] = useState<StepId>('os');
  const [visited, setVisited] = useState(0);
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState<'check' | 'create' | null>(null);
  const [identified, setIdentified] = useState<Identified | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const idx = STEPS.findIndex((s) => s.id === step);
  // Until the user picks, the first system presets.list names; macOS has no preset of its own.
  const os = w.os || presets[0]?.id || '';
  const wx: WizardState = os === w.os ? w : { ...w, os };
  const preset = presets.find((p) => p.id === os);
  const macosBlocked = os === MACOS_CHOICE;
  const names = guests.map((g) => g.name);
  // Said as the name is typed, not after Next: the list is live (guests.changed), so a guest
  // made meanwhile elsewhere counts too.
  const taken = step === 'os' && !macosBlocked ? takenName(w.name, names) : null;

  // The guided macOS setup takes over from the first step (a suggestion can pick it later).
  useEffect(() => {
    if (macosBlocked) setStep('os');
  }, [macosBlocked]);

  const update = (patch: Partial<WizardState>) => {
    setW((old) => ({ ...old, ...patch }));
    setErrors((old) => {
      const next = { ...old };
      for (const k of Object.keys(patch)) delete next[k];
      if ('shares' in patch) for (const k of Object.keys(next)) if (k.startsWith('shares.')) delete next[k];
      return next;
    });
  };

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  // Suggest a preset from the installer's volume label.
  useEffect(() => {
    const iso = w.iso.trim();
    if (!iso.startsWith('/')) {
      setIdentified(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      client.call('media.identify', { path: iso }).then(
        (r) => live && setIdentified(r),
        () => live && setIdentified(null),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, w.iso]);

  const go = (s: StepId) => {
    setStep(s);
    setVisited((v) => Math.max(v, STEPS.findIndex((x) => x.id === s)));
  };

  /** Map a server error onto fields; returns true when it blocks the step `upTo`. */
  const applyServerError = (e: unknown, upTo: number): boolean => {
    if (!(e instanceof CallError) || e.fields.length === 0) {
      setGeneral(e);
      return true;
    }
    const mapped: Errors = {};
    let first = Infinity;
    let unplaced = false;
    for (const f of e.fields) {
      const s = stepOfField(f.field);
      if (s === null) {
        unplaced = true;
        continue;
      }
      const i = STEPS.findIndex((x) => x.id === s);
      if (i > upTo) continue;
      mapped[fieldKey(f.field)] = f.message;
      first = Math.min(first, i);
    }
    setErrors((old) => ({ ...old, ...mapped }));
    if (unplaced) setGeneral(e);
    if (first !== Infinity) {
      setStep(STEPS[first]!.id);
      return true;
    }
    return unplaced;
  };

  const serverCheck = async (upTo: number): Promise<boolean> => {
    if (!preset) return false;
    setBusy('check');
    try {
      setPreview(await client.call('guests.preview', buildRequest(wx, preset)));
      return true;
    } catch (e) {
      setPreview(null);
      return !applyServerError(e, upTo);
    } finally {
      setBusy(null);
    }
  };

  const next = async () => {
    setGeneral(null);
    if (!preset) return;
    const local = validateStep(step, wx, preset, host, names);
    if (Object.keys(local).length) {
      setErrors((old) => ({ ...old, ...local }));
      return;
    }
    if (idx >= 1 && !(await serverCheck(idx))) return;
    const n = STEPS[idx + 1];
    if (n) go(n.id);
  };

  const back = () => {
    setGeneral(null);
    const p = STEPS[idx - 1];
    if (p) setStep(p.id);
  };

  const create = async () => {
    setGeneral(null);
    if (!preset) return;
    // Every step's own checks first, then the server's.
    for (const s of STEPS) {
      const local = validateStep(s.id, wx, preset, host, names);
      if (Object.keys(local).length) {
        setErrors((old) => ({ ...old, ...local }));
        setStep(s.id);
        return;
      }
    }
    setBusy('create');
    try {
      const r = await client.call('guests.create', buildRequest(wx, preset));
      await loadGuests();
      navigate({ page: 'guest', name: r.config.name });
    } catch (e) {
      applyServerError(e, STEPS.length - 1);
    } finally {
      setBusy(null);
    }
  };

  const err = (k: string): string | undefined => errors[k] ?? (k === 'name' && taken ? taken : undefined);
  const common = { w: wx, update, err, reason: (key: string) => preview?.reasons[key], preview };
  let body: ReactNode;
  if (!preset && !macosBlocked) {
    // The steps show the preset's own values: without presets.list there is nothing to show.
    body = presetsError ? (
      <>
        <ErrorNotice error={presetsError} title="Guestbay could not list the systems it can set up" testId="wizard-error" />
        <button type="button" className="btn" data-testid="wizard-presets-retry" onClick={() => void loadPresets()}>
          Try again
        </button>
      </>
    ) : (
      <p className="muted">Loading the systems Guestbay can set up…</p>
    );
  } else if (step === 'os' || !preset) {
    body = <OsStep {...common} preset={preset} />;
  } else {
    const props: StepProps = { ...common, preset };
    const steps: Record<Exclude<StepId, 'os'>, ReactNode> = {
      media: <MediaStep {...props} identified={identified} />,
      firmware: <FirmwareStep {...props} />,
      resources: <ResourcesStep {...props} />,
      devices: <DevicesStep {...props} />,
      shares: <SharesStep {...props} />,
      review: <ReviewStep preview={preview} busy={busy !== null} />,
    };
    body = steps[step];
  }

  const title = STEPS[idx]!.label;
  return (
    <section className="page wizard" aria-labelledby="wizard-title">
      <header className="page-head">
        <h1 id="wizard-title">New guest</h1>
      </header>
      <div className="wizard-body">
        <nav className="steps" aria-label="Steps">
          <ol>
            {STEPS.map((s, i) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={`step${s.id === step ? ' current' : ''}${i < idx ? ' done' : ''}`}
                  data-testid={`wizard-step-${s.id}`}
                  aria-current={s.id === step ? 'step' : undefined}
                  disabled={i > visited || (macosBlocked && i > 0) || !preset}
                  onClick={() => setStep(s.id)}
                >
                  <span className="step-num">{i + 1}</span> {s.label}
                  {Object.keys(errors).some((k) => stepOfField(k.replace('memoryGiB', 'memoryMiB')) === s.id) && <span className="step-error" aria-label="has errors">!</span>}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <form
          className="step-body"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (step === 'review') void create();
            else if (!macosBlocked) void next();
          }}
        >
          <h2 tabIndex={-1} ref={headingRef}>
            {title}
          </h2>
          {body}
          {general !== null && <ErrorNotice error={general} title="Guestbay could not check these settings" testId="wizard-error" />}
          <footer className="wizard-foot">
            <button type="button" className="btn" data-testid="wizard-back" onClick={back} disabled={idx === 0 || busy !== null}>
              Back
            </button>
            {step === 'review' ? (
              <button type="submit" className="btn btn-primary" data-testid="wizard-create" disabled={busy !== null}>
                {busy === 'create' ? 'Creating…' : 'Create guest'}
              </button>
            ) : (
              <>
                {taken && (
                  <span className="foot-why" id="wizard-next-why" data-testid="wizard-next-why">
                    Next is off: the name is taken.
                  </span>
                )}
                <button type="submit" className="btn btn-primary" data-testid="wizard-next" disabled={busy !== null || macosBlocked || !preset || taken !== null} aria-describedby={taken ? 'wizard-next-why' : undefined}>
                  {busy === 'check' ? 'Checking…' : 'Next'}
                </button>
              </>
            )}
          </footer>
        </form>
      </div>
    </section>
  );
}
