// Every setting of a guest, one family at a time (a list on the left, like a device list), so
// nothing is below the fold; what waits for the next start on top, with the command diff.
import type { ComponentType } from 'react';
import { BootSection } from '../components/settings/BootSection';
import { CpuMemorySection } from '../components/settings/CpuMemorySection';
import { DisksSection } from '../components/settings/DisksSection';
import { DisplaySection } from '../components/settings/DisplaySection';
import { FirmwareSection } from '../components/settings/FirmwareSection';
import { GeneralSection } from '../components/settings/GeneralSection';
import { MediaSection } from '../components/settings/MediaSection';
import { NetworkSection } from '../components/settings/NetworkSection';
import { PassthroughSection } from '../components/settings/PassthroughSection';
import { SharesSection } from '../components/settings/SharesSection';
import { SoundSection } from '../components/settings/SoundSection';
import { UsbSection } from '../components/settings/UsbSection';
import { useApp } from '../store';
import { useGuestEdit } from './edit-context';
import { PendingChanges } from './PendingChanges';

export type SectionId = 'general' | 'cpu' | 'firmware' | 'disks' | 'media' | 'network' | 'display' | 'sound' | 'usb' | 'passthrough' | 'shares' | 'boot';

export const SECTIONS: Record<SectionId, { title: string; component: ComponentType; fields: string[] }> = {
  general: { title: 'Name and start', component: GeneralSection, fields: ['name', 'title', 'autostart', 'machine', 'accel'] },
  cpu: { title: 'CPU and memory', component: CpuMemorySection, fields: ['cpu', 'memoryMiB', 'memoryFile'] },
  firmware: { title: 'Firmware', component: FirmwareSection, fields: ['firmware', 'tpm'] },
  disks: { title: 'Disks', component: DisksSection, fields: ['disks'] },
  media: { title: 'CD/DVD', component: MediaSection, fields: ['media'] },
  network: { title: 'Network', component: NetworkSection, fields: ['network'] },
  display: { title: 'Display', component: DisplaySection, fields: ['display'] },
  sound: { title: 'Sound', component: SoundSection, fields: ['audio'] },
  usb: { title: 'USB devices', component: UsbSection, fields: ['usb'] },
  passthrough: { title: 'Passthrough', component: PassthroughSection, fields: ['pciDevices', 'input', 'lookingGlass'] },
  shares: { title: 'Shared folders', component: SharesSection, fields: ['sharedFolders'] },
  boot: { title: 'Boot order', component: BootSection, fields: ['bootOrder'] },
};

const ORDER = Object.keys(SECTIONS) as SectionId[];

export const isSection = (s: string | undefined): s is SectionId => s !== undefined && s in SECTIONS;

/** The section a changed field belongs to. */
export function sectionOf(field: string): SectionId | undefined {
  const head = field.split('.')[0]!;
  return ORDER.find((id) => SECTIONS[id].fields.includes(head));
}

export function SettingsTab({ section }: { section: SectionId }) {
  const ctx = useGuestEdit();
  const navigate = useApp((s) => s.navigate);
  const Current = SECTIONS[section].component;
  const waiting = new Set((ctx.pending?.changes ?? []).map((c) => sectionOf(c.field)));
  return (
    <div className="settings-tab">
      {ctx.pending && ctx.pending.changes.length > 0 && <PendingChanges pending={ctx.pending} />}
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings">
          <ul>
            {ORDER.map((id) => (
              <li key={id}>
                <a
                  href={`#/guest/${encodeURIComponent(ctx.name)}/settings/${id}`}
                  className={`settings-nav-link${id === section ? ' current' : ''}`}
                  aria-current={id === section ? 'page' : undefined}
                  data-testid={`settings-nav-${id}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate({ page: 'guest', name: ctx.name, tab: 'settings', section: id });
                  }}
                >
                  {SECTIONS[id].title}
                  {waiting.has(id) && (
                    <span className="pending-dot" title="Changed: applies at the next start" aria-label="changed, applies at the next start" />
                  )}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-pane">
          <Current key={`${ctx.name}-${section}`} />
        </div>
      </div>
    </div>
  );
}
