// The DeviceProperties section of OpenCore's config.plist: nothing to inject into a QEMU guest.
import type { PlistDict } from '../plist-xml';

export function deviceProperties(): PlistDict {
  return { Add: {}, Delete: {} };
}
