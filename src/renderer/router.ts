// A tiny hash router: #/, #/new, #/new/macos, #/new/windows[/10|11], #/guest/<name>[/<tab>[/<section>]], #/host, #/host/iommu.
export type GuestTab = 'display' | 'settings' | 'disks' | 'console' | 'logs' | 'command';

export const GUEST_TABS: readonly GuestTab[] = ['display', 'settings', 'disks', 'console', 'logs', 'command'];

export type Route =
  | { page: 'library' }
  | { page: 'new' }
  | { page: 'macos' }
  | { page: 'windows'; version?: '10' | '11' }
  | { page: 'guest'; name: string; tab?: GuestTab; section?: string }
  | { page: 'host' }
  | { page: 'iommu' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/new') return { page: 'new' };
  if (path === '/new/macos') return { page: 'macos' };
  const win = /^\/new\/windows(?:\/(10|11))?$/.exec(path);
  if (win) return win[1] ? { page: 'windows', version: win[1] as '10' | '11' } : { page: 'windows' };
  if (path === '/host') return { page: 'host' };
  if (path === '/host/iommu') return { page: 'iommu' };
  const m = /^\/guest\/([^/]+)(?:\/([a-z]+))?(?:\/([a-z-]+))?$/.exec(path);
  if (m) {
    const tab = GUEST_TABS.find((t) => t === m[2]);
    return { page: 'guest', name: decodeURIComponent(m[1]!), ...(tab ? { tab } : {}), ...(tab && m[3] ? { section: m[3] } : {}) };
  }
  return { page: 'library' };
}

export function routeHref(r: Route): string {
  switch (r.page) {
    case 'library':
      return '#/';
    case 'new':
      return '#/new';
    case 'macos':
      return '#/new/macos';
    case 'windows':
      return `#/new/windows${r.version ? `/${r.version}` : ''}`;
    case 'host':
      return '#/host';
    case 'iommu':
      return '#/host/iommu';
    case 'guest':
      return `#/guest/${encodeURIComponent(r.name)}${r.tab && r.tab !== 'display' ? `/${r.tab}${r.section ? `/${r.section}` : ''}` : ''}`;
  }
}
