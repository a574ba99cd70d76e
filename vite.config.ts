// The renderer's build: one static page (no inline scripts or styles, CSP-clean) served by
// Electron from disk and by `guestbay serve` under /<token>/, hence the relative base.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    // Vite would inline its module-preload polyfill as a script: CSP `script-src 'self'` forbids it.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
