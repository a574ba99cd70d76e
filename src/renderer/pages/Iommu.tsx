// The IOMMU page (the Host page's "Device passthrough"): whether the IOMMU is on and how to turn it
// on with this computer's boot loader, which graphics cards and USB controllers can go to a guest
// (in plain words, a GPU with its sound), Intel graphics shares (GVT-g, SR-IOV), and every IOMMU
// group as a card. The same report `guestbay iommu` prints (host.iommu).
import { useCallback, useEffect, useState } from 'react';
import type { IommuDevice, IommuReport, PassthroughVerdict } from '../../shared/iommu-report';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice } from '../components/ErrorNotice';
import { alongWith, deviceIndex, KIND_WORDS, LOADER_WORDS, resetWords, ROLE_WORDS } from '../passthrough/words';
import { useApp, useClient } from '../store';

function IommuState({ r }: { r: IommuReport }) {
  const params = r.kernelParams.join(' ');
  const ok = r.enabled && r.paramsPresent;
  // On already: the firmware step is done.
  const steps = r.enabled ? r.howToEnable.filter((s) => !s.includes('firmware (BIOS/UEFI)')) : r.howToEnable;
  return (
    <div className={`finding finding-${r.enabled ? (ok ? 'ok' : 'warning') : 'missing'}`} data-testid="iommu-state" data-enabled={r.enabled}>
      <div className="finding-head">
        <span className={`badge badge-${r.enabled ? 'ok' : 'missing'}`}>{r.enabled ? 'On' : 'Off'}</span>
        <strong>{r.enabled ? `The IOMMU is on: ${r.groups.length} groups` : 'The IOMMU is off: no PCI device can be passed to a guest until it is on'}</strong>
      </div>
      {ok && <p>The kernel command line has <code>{params}</code>.</p>}
      {r.enabled && !r.paramsPresent && (
        <p>
          Recommended: add <code>{params}</code> to the kernel command line, so the host’s own devices stay fast.
        </p>
      )}
      {!ok && (
        <div className="fix">
          <p data-testid="iommu-boot-loader">
            The kernel parameter for this {r.cpuVendor === 'intel' ? 'Intel' : r.cpuVendor === 'amd' ? 'AMD' : ''} computer, and the steps with its boot loader ({LOADER_WORDS[r.bootLoader]}):
          </p>
          <div className="fix-command">
            <pre className="command" data-testid="iommu-params">{params}</pre>
            <div className="fix-actions">
              <CopyButton text={params} what="the kernel parameters" testId="iommu-params-copy" />
            </div>
          </div>
          <ol className="iommu-steps" data-testid="iommu-steps">
            {steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

function VerdictCard({ v, devices }: { v: PassthroughVerdict; devices: ReturnType<typeof deviceIndex> }) {
  const d = devices.get(v.address);
  const words = KIND_WORDS[v.kind];
  const along = alongWith(v, devices);
  // Before a guest can take it, the card (and what comes along) must be on vfio-pci: the CLI's helper does it.
  const toBind = v.kind === 'cannot' ? [] : [v.address, ...v.together].filter((a) => devices.get(a)?.driver !== 'vfio-pci');
  const bind = toBind.length ? `guestbay vfio bind ${toBind.join(' ')} --yes` : null;
  return (
    <li className={`finding finding-${words.status}`} data-testid={`iommu-verdict-${v.address}`} data-kind={v.kind}>
      <div className="finding-head">
        <span className={`badge badge-${words.status}`}>{words.badge}</span>
        <strong>{d?.description ?? v.address}</strong>
      </div>
      <p className="muted">
        {ROLE_WORDS[v.role]} · <code>{v.address}</code> · group {d?.group}
      </p>
      <p>{v.summary}</p>
      {along.card.length > 0 && v.kind !== 'cannot' && (
        <p data-testid={`iommu-verdict-${v.address}-along`}>
          Goes with it: {along.card.map((x) => `${x.description} (${x.address})`).join(', ')}
          {v.role === 'gpu' && along.card.some((x) => x.classCode.startsWith('0403')) ? ' — its sound over HDMI/DisplayPort.' : '.'}
        </p>
      )}
      <ul className="verdict-notes">
        {v.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
      {bind && (
        <div className="fix-command" data-testid={`iommu-verdict-${v.address}-bind`}>
          <pre className="command">{bind}</pre>
          <div className="fix-actions">
            <CopyButton text={bind} what={`the command that hands ${d?.description ?? v.address} to vfio-pci`} />
            <span className="tag tag-root" title="It asks for your password (pkexec) and shows each step before it runs">
              needs root
            </span>
          </div>
        </div>
      )}
    </li>
  );
}

function Offered({ r }: { r: IommuReport }) {
  const devices = deviceIndex(r);
  // A GPU's sound function is shown with its GPU ("Goes with it"), not as a card of its own.
  const shown = r.verdicts.filter((v) => v.role !== 'gpu-audio');
  return (
    <section className="panel" aria-labelledby="iommu-offered-title" data-testid="iommu-offered">
      <h2 id="iommu-offered-title">Graphics cards and USB controllers</h2>
      <p className="hint">A device passed to a guest leaves this computer while the guest runs. A USB controller takes every port on it, with whatever is plugged in.</p>
      {shown.length === 0 && <p className="muted">This computer has no graphics card or USB controller that the IOMMU lists.</p>}
      <ul className="findings">
        {shown.map((v) => (
          <VerdictCard key={v.address} v={v} devices={devices} />
        ))}
      </ul>
    </section>
  );
}

function Shares({ r }: { r: IommuReport }) {
  const devices = r.groups.flatMap((g) => g.devices);
  const gvt = devices.filter((d) => d.mdevTypes.length > 0);
  const sriov = devices.filter((d) => d.sriov);
  if (!gvt.length && !sriov.length && !r.igpuNotes.length) return null;
  return (
    <section className="panel" aria-labelledby="iommu-shares-title" data-testid="iommu-shares">
      <h2 id="iommu-shares-title">Intel graphics shared with guests</h2>
      <p className="hint">Without a second graphics card: the Intel GPU lends a slice of itself to a guest and stays with this computer.</p>
      {gvt.map((d) => (
        <div key={d.address} className="subsection" data-testid={`iommu-gvt-${d.address}`}>
          <h4>
            GVT-g shares of {d.description} <code>{d.address}</code>
          </h4>
          <table className="mini-table">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">What the guest gets</th>
                <th scope="col">Free</th>
              </tr>
            </thead>
            <tbody>
              {d.mdevTypes.map((t) => (
                <tr key={t.id}>
                  <td>
                    <code>{t.id}</code>
                  </td>
                  <td>{t.description || t.name}</td>
                  <td>{t.available}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {sriov.map((d) => (
        <div key={d.address} className="subsection" data-testid={`iommu-sriov-${d.address}`}>
          <h4>
            SR-IOV virtual functions of {d.description} <code>{d.address}</code>
          </h4>
          <p>
            {d.sriov!.enabled} of {d.sriov!.total} enabled{d.sriov!.vfs.length ? `: ${d.sriov!.vfs.join(', ')} (each listed below in its own group, passed like a graphics card)` : ''}.
          </p>
        </div>
      ))}
      <ul className="verdict-notes" data-testid="iommu-igpu-notes">
        {r.igpuNotes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </section>
  );
}

function DeviceRow({ d, v }: { d: IommuDevice; v: PassthroughVerdict | undefined }) {
  return (
    <li className="iommu-device" data-testid={`iommu-device-${d.address}`}>
      <div className="device-head">
        <strong>{d.description}</strong>
        {v && v.role !== 'gpu-audio' && <span className={`badge badge-${KIND_WORDS[v.kind].status}`}>{KIND_WORDS[v.kind].badge}</span>}
      </div>
      <p className="muted iommu-meta">
        <code>{d.address}</code> · {d.className} · <code>{`${d.vendorId}:${d.deviceId}`}</code> · driver {d.driver ?? 'none'} · {resetWords(d)}
        {d.bootVga ? ' · shows this computer’s screen' : ''}
        {d.physfn ? ` · virtual function of ${d.physfn}` : ''}
      </p>
    </li>
  );
}

function Groups({ r }: { r: IommuReport }) {
  const [onlyPassable, setOnly] = useState(false);
  const verdicts = new Map(r.verdicts.map((v) => [v.address, v]));
  const groups = onlyPassable ? r.groups.filter((g) => g.devices.some((d) => verdicts.has(d.address))) : r.groups;
  return (
    <section className="panel" aria-labelledby="iommu-groups-title" data-testid="iommu-groups">
      <div className="panel-head">
        <h2 id="iommu-groups-title">All IOMMU groups</h2>
        <label className="check-inline">
          <input type="checkbox" data-testid="iommu-only-passable" checked={onlyPassable} onChange={(e) => setOnly(e.target.checked)} /> Only groups with a graphics card or USB controller
        </label>
      </div>
      <p className="hint">Everything in one group goes to a guest together; PCI bridges may stay with this computer.</p>
      {r.groups.length === 0 && <p className="muted">No groups: the IOMMU is off.</p>}
      <div className="iommu-grid">
        {groups.map((g) => (
          <article key={g.id} className="card iommu-group" data-testid={`iommu-group-${g.id}`} aria-labelledby={`iommu-group-${g.id}-title`}>
            <h3 id={`iommu-group-${g.id}-title`}>
              Group {g.id} <span className="muted">· {g.devices.length === 1 ? '1 device' : `${g.devices.length} devices`}</span>
            </h3>
            <ul className="iommu-devices">
              {g.devices.map((d) => (
                <DeviceRow key={d.address} d={d} v={verdicts.get(d.address)} />
              ))}
            </ul>
          </article>
        ))}
      </div>
    </section>
  );
}

export function IommuPage() {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const [report, setReport] = useState<IommuReport | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const load = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      setReport(await client.call('host.iommu', {}));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [client]);
  useEffect(() => void load(), [load]);
  return (
    <section className="page" aria-labelledby="iommu-title" data-testid="iommu-page">
      <header className="page-head">
        <h1 id="iommu-title">Device passthrough</h1>
        <button type="button" className="btn" data-testid="iommu-refresh" disabled={loading} onClick={() => void load()}>
          {loading ? 'Reading…' : 'Read again'}
        </button>
      </header>
      <p>
        <a href="#/host" onClick={(e) => (e.preventDefault(), navigate({ page: 'host' }))}>
          ← This host
        </a>
      </p>
      <p className="hint iommu-intro">
        A graphics card, its sound or a USB controller can be given to a guest whole, as if plugged into it: the guest drives it with its own drivers, at full speed. The IOMMU decides what can be
        separated: the devices in one IOMMU group go to a guest together.
      </p>
      {error !== undefined && <ErrorNotice error={error} title="The IOMMU groups could not be read" />}
      {!report && loading && <p className="muted">Reading this computer’s devices…</p>}
      {report && (
        <>
          <IommuState r={report} />
          <Offered r={report} />
          <Shares r={report} />
          <Groups r={report} />
        </>
      )}
    </section>
  );
}
