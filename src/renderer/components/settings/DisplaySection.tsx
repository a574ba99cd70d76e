// The graphics card, where the screen is shown (in Guestbay, or QEMU's own window), OpenGL where
// this computer can, and the starting resolution.
import type { Display } from '../../../shared/vm-config';
import { cardWords } from '../../guest-words';
import { useApp } from '../../store';
import { described, Field } from '../Field';
import { DISPLAY_DEVICE_CHOICES, optionsOf, VIEWER_CHOICES, WINDOW_CHOICES } from './labels';
import { Choices, SectionFrame } from './SectionFrame';
import { useSection, type FieldErrors } from './use-section';

type Draft = { device: Display['device']; viewer: Display['viewer']; window: Display['window']; gl: boolean; resolution: string };

const RES = /^\s*(\d{3,4})\s*[x×]\s*(\d{3,4})\s*$/;

export function DisplaySection() {
  const host = useApp((s) => s.host);
  const s = useSection<Draft>({
    from: (c) => ({ device: c.display.device, viewer: c.display.viewer, window: c.display.window, gl: c.display.gl, resolution: c.display.resolution ? `${c.display.resolution.width}×${c.display.resolution.height}` : '' }),
    into: (c, d) => {
      const m = RES.exec(d.resolution);
      return { ...c, display: { ...c.display, device: d.device, viewer: d.viewer, window: d.window, gl: d.gl, resolution: m ? { width: Number(m[1]), height: Number(m[2]) } : undefined } };
    },
    check: (d) => {
      const e: FieldErrors = {};
      if (d.resolution.trim()) {
        const m = RES.exec(d.resolution);
        if (!m) e.resolution = 'A resolution is WIDTH×HEIGHT, like 1920×1080; or leave it empty for the guest’s own choice.';
        else if (Number(m[1]) < 640 || Number(m[1]) > 7680 || Number(m[2]) < 480 || Number(m[2]) > 4320) e.resolution = 'A resolution is from 640×480 to 7680×4320.';
      }
      return e;
    },
    fieldOf: (f) => (f.startsWith('display.resolution') ? 'resolution' : f === 'display.device' ? 'device' : f === 'display.gl' ? 'gl' : f.startsWith('display.') ? 'viewer' : undefined),
  });
  const d = s.draft;
  const glWhy =
    host && !(host.qemu?.glDevices.length ?? 0)
      ? 'This QEMU has no OpenGL display devices (its OpenGL module is not installed).'
      : host && d.viewer === 'guestbay' && host.renderNodes.length === 0
        ? 'In Guestbay, OpenGL renders on a GPU render node (/dev/dri/renderD*), and this computer has none.'
        : 'virgl: 3D acceleration for Linux guests with virtio-vga or virtio-gpu.';
  const glOff = host ? !(host.qemu?.glDevices.length ?? 0) || (d.viewer === 'guestbay' && host.renderNodes.length === 0) : false;
  return (
    <SectionFrame id="display" title="Display" applies="next-start" s={s} why="In Guestbay is the default and works everywhere; QEMU’s own window is the fastest on this desktop.">
      {d.device !== 'none' && (
        <Choices
          name="viewer"
          legend="Where the screen is shown"
          testId="settings-viewer"
          value={d.viewer}
          onChange={(viewer) => s.set({ viewer })}
          options={optionsOf(VIEWER_CHOICES)}
        />
      )}
      <div className="field-row">
        <Field id="settings-display-device" label="Graphics card" error={s.errors.device} hint={DISPLAY_DEVICE_CHOICES[d.device].why}>
          <select {...described('settings-display-device', s.errors.device)} value={d.device} onChange={(e) => s.set({ device: e.target.value as Display['device'] })}>
            {optionsOf(DISPLAY_DEVICE_CHOICES).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        {d.device !== 'none' && d.viewer === 'window' && (
          <Field id="settings-window" label="Window" hint={WINDOW_CHOICES[d.window].why}>
            <select id="settings-window" data-testid="settings-window" value={d.window} onChange={(e) => s.set({ window: e.target.value as Display['window'] })}>
              {optionsOf(WINDOW_CHOICES).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        {d.device !== 'none' && (
          <Field id="settings-resolution" label="Resolution" error={s.errors.resolution} hint="Empty: the guest’s own choice (in Guestbay, virtio-vga follows the window).">
            <input {...described('settings-resolution', s.errors.resolution)} placeholder="automatic" value={d.resolution} onChange={(e) => s.set({ resolution: e.target.value })} />
          </Field>
        )}
      </div>
      {d.device !== 'none' && (
        <label className={`check${glOff && !d.gl ? ' choice-off' : ''}`}>
          <input type="checkbox" data-testid="settings-gl" checked={d.gl} disabled={glOff && !d.gl} onChange={(e) => s.set({ gl: e.target.checked })} />
          <span>
            <strong>OpenGL (3D acceleration)</strong>
            <span className="hint">{glWhy}</span>
          </span>
        </label>
      )}
      <p className="muted" data-testid="settings-display-now">
        Now: {cardWords(s.base.config.display)}
        {s.base.config.display.device !== 'none' && (s.base.config.display.viewer === 'guestbay' ? ', shown in Guestbay' : `, in ${WINDOW_CHOICES[s.base.config.display.window].label}`)}.
      </p>
    </SectionFrame>
  );
}
