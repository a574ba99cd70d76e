// A tiny hash router: #/, #/new, #/new/macos, #/guest/<name>, #/host.
export type Route = { page: 'library' } | { page: 'new' } | { page: 'macos' } | { page: 'guest'; name: string } | { page: 'host' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/new') return { page: 'new' };
  if (path === '/new/macos') return { page: 'macos' };
  if (path === '/host') return { page: 'host' };
  const m = /^\/guest\/(.+)$/.exec(path);
  if (m) return { page: 'guest', name: decodeURIComponent(m[1]!) };
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
    case 'host':
      return '#/host';
    case 'guest':
      return `#/guest/${encodeURIComponent(r.name)}`;
  }
}
