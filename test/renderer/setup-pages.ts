// The app loads every page but the library lazily (its own chunk, src/renderer/App.tsx). Built,
// a chunk is a file read in milliseconds; under Vitest, a page's first import transforms it and
// everything it imports, which on a busy machine takes longer than a `findBy` waits. Imported
// here first, the pages are ready when a test navigates to one, as they are in the app.
import '../../src/renderer/pages/Wizard';
import '../../src/renderer/pages/MacosSetup';
import '../../src/renderer/pages/WindowsSetup';
import '../../src/renderer/pages/Guest';
import '../../src/renderer/pages/Host';
import '../../src/renderer/pages/Iommu';
import '../../src/renderer/components/disks/ImportGuest';
