// Rasterizes the SVG icons (assets/) to the PNG sizes the desktop and the tray want, with
// Debian's/Arch's Chromium through playwright-core. Run after editing an SVG; commit the PNGs.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
async function render(svgFile, size, out) {
  const svg = readFileSync(join(root, svgFile), 'utf8');
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  mkdirSync(dirname(join(root, out)), { recursive: true });
  writeFileSync(join(root, out), await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
}
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) await render('assets/icons/guestbay.svg', size, `build/icons/${size}x${size}.png`);
await render('assets/icons/guestbay.svg', 512, 'assets/icons/guestbay.png');
for (const state of ['idle', 'running', 'busy']) {
  await render(`assets/tray/${state}.svg`, 22, `assets/tray/${state}.png`);
  await render(`assets/tray/${state}.svg`, 44, `assets/tray/${state}@2x.png`);
}
await browser.close();
