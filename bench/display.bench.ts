// The guest's screen in Chromium through Guestbay's bridge (guestbay serve: QEMU's VNC unix
// socket → the main process → the tokened WebSocket → noVNC in the app's page) against the floor:
// noVNC connected straight to QEMU's own WebSocket VNC listener (a TCP port on 127.0.0.1 that
// exists only in this benchmark). The same guest both times: the tiny test guest on a VGA text
// console (gb.screen, see test/guest/README.md).
// - latency: a line written to the guest's serial console, which the guest shows on a cleared
//   screen, until the canvas in Chromium changes (the guest's share of it is the same both ways);
// - while the guest scrolls a full screen of text: frames per second the canvas shows, and the
//   CPU time of QEMU plus, through the bridge, the server that carries it.
// Prints ratios; asserts nothing.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { it } from 'vitest';
import { buildLaunchPlan } from '../src/main/qemu/plan';
import { QmpClient } from '../src/main/qemu/qmp';
import { runPrepare } from '../src/main/vm/prepare';
import { parseVmConfig } from '../src/shared/migrations';
import { ROOT, cli } from '../test/helpers/cli';
import { buildAndServe, launchChromium } from '../test/helpers/e2e';
import { guestWorld } from '../test/helpers/guests';
import { median, ms } from './stats';

const MARKS = Number(process.env.BENCH_RUNS ?? 15);
const SCROLL_MS = 8000;

/** Run in the page: samples the top rows of the canvas every animation frame, noting each change. */
const SAMPLER = (selector: string) => `(() => {
  const changes = [];
  window.__changes = changes;
  let last = -1;
  const tick = () => {
    const c = document.querySelector(${JSON.stringify(selector)});
    if (c && c.width) {
      const d = c.getContext('2d').getImageData(0, 0, c.width, Math.min(48, c.height)).data;
      let h = 0;
      for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i] + d[i + 1] * 7 + d[i + 2] * 13) | 0;
      if (h !== last) { last = h; changes.push(Date.now()); }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** CPU seconds (user + system) a process has used, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function measure(page: Page, serial: Socket, pids: number[]) {
  const changes = async () => (await page.evaluate('window.__changes.length')) as number;
  const latencies: number[] = [];
  for (let i = 0; i < MARKS; i++) {
    await new Promise((r) => setTimeout(r, 400));
    const before = await changes();
    const t0 = Date.now();
    serial.write(`mark ${i} ${'#'.repeat(60)}\n`);
    for (let n = 0; n < 400; n++) {
      const list = (await page.evaluate(`window.__changes.slice(${before})`)) as number[];
      const hit = list.find((t) => t >= t0);
      if (hit) {
        latencies.push(hit - t0);
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  serial.write('scroll\n');
  await new Promise((r) => setTimeout(r, 1500));
  const cpu0 = await Promise.all(pids.map(cpuSeconds));
  const f0 = await changes();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, SCROLL_MS));
  const frames = (await changes()) - f0;
  const seconds = (Date.now() - t0) / 1000;
  const cpu1 = await Promise.all(pids.map(cpuSeconds));
  return { latency: median(latencies), fps: frames / seconds, cpu: cpu1.map((c, i) => (c - cpu0[i]!) / seconds) };
}

async function openSerial(path: string): Promise<Socket> {
  const s = createConnection(path);
  await new Promise((r, j) => s.once('connect', r).once('error', j));
  return s;
}

it('display', async () => {
  const w = await guestWorld('gb-bench-display-');
  let browser: Browser | undefined;
  let server: Awaited<ReturnType<typeof buildAndServe>>['server'] | undefined;
  const floorHttp = createServer();
  try {
    await w.create('bench');
    const c = await w.store.get('bench');
    await w.store.update(
      parseVmConfig({ ...c, display: { ...c.display, device: 'std' }, kernelBoot: { ...c.kernelBoot!, append: 'console=ttyS0 quiet panic=-1 gb.screen' } }),
    );
    const caps = await w.probe();
    const d = w.store.dirs('bench');
    browser = await launchChromium();

    // Through the bridge: the guest started as a user would, its page open in the app.
    const started = await cli(['start', 'bench', '--headless'], w.env);
    if (started.code !== 0) throw new Error(started.stderr);
    const served = await buildAndServe(w.env);
    server = served.server;
    const url = served.url;
    const app = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await app.goto(`${url}#/guest/bench`);
    await app.getByTestId('display-scale').click(); // 1:1, like the floor page
    for (let i = 0; i < 600 && (await app.getByTestId('display-bench').getAttribute('data-phase')) !== 'connected'; i++) await new Promise((r) => setTimeout(r, 100));
    await app.evaluate(SAMPLER('[data-testid="display-screen"] canvas'));
    const record = await w.supervisor().record('bench');
    const serial = await openSerial(record!.plan.runtime.serialSocket);
    const bridge = await measure(app, serial, [record!.qemuPid, server.pid!]);
    serial.destroy();
    await app.close();
    await cli(['stop', 'bench', '--force'], w.env);

    // The floor: the same argv by hand, QEMU's VNC also on a WebSocket port, noVNC on a bare page.
    const plan = buildLaunchPlan(await w.store.get('bench'), caps, { vmDir: d.dir, runtimeDir: d.runtimeDir, logDir: d.logDir, headless: true });
    await runPrepare(plan);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const args = plan.args.map((a) => (a === `unix:${plan.display.vncSocket}` ? `${a},websocket=127.0.0.1:${port}` : a));
    const qemu = execa(plan.binary, args, { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', reject: false });
    const qmp = await QmpClient.connect(plan.runtime.qmpSocket, { timeoutMs: 20_000, retryForMs: 20_000 });
    floorHttp.on('request', async (req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end(
          `<!doctype html><body style="margin:0"><div id="s" style="width:1280px;height:800px"></div><script type="module">import RFB from '/core/rfb.js'; const r = new RFB(document.getElementById('s'), 'ws://127.0.0.1:${port}'); r.addEventListener('connect', () => (window.__connected = true));</script></body>`,
        );
        return;
      }
      const file = join(ROOT, 'node_modules/@novnc/novnc', (req.url ?? '').replace(/\.\./g, ''));
      const body = await readFile(file).catch(() => null);
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(body);
    });
    await new Promise<void>((r) => floorHttp.listen(0, '127.0.0.1', r));
    const floorPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await floorPage.goto(`http://127.0.0.1:${(floorHttp.address() as { port: number }).port}/`);
    for (let i = 0; i < 600 && !(await floorPage.evaluate('!!window.__connected')); i++) await new Promise((r) => setTimeout(r, 100));
    await floorPage.evaluate(SAMPLER('#s canvas'));
    const serial2 = await openSerial(plan.runtime.serialSocket);
    const floor = await measure(floorPage, serial2, [qemu.pid!]);
    serial2.destroy();
    await qmp.execute('quit').catch(() => {});
    await qemu;

    const bridgeCpu = bridge.cpu[0]! + bridge.cpu[1]!;
    const floorCpu = floor.cpu[0]!;
    console.log(`guest screen in Chromium, QEMU ${caps.qemu?.version} (${caps.accel.toUpperCase()}), VGA text console:`);
    console.log(`  latency, serial line → changed canvas (median of ${MARKS})`);
    console.log(`    through Guestbay's bridge  ${ms(bridge.latency)}`);
    console.log(`    noVNC straight to QEMU     ${ms(floor.latency)}`);
    console.log(`    ratio                      ${(bridge.latency / floor.latency).toFixed(2)}× (aim ≤ 1.20×)`);
    console.log(`  a full screen of text scrolling, ${SCROLL_MS / 1000} s`);
    console.log(`    frames/s in the canvas     bridge ${bridge.fps.toFixed(1)}, floor ${floor.fps.toFixed(1)} (${(bridge.fps / floor.fps).toFixed(2)}×)`);
    console.log(`    CPU s/s, QEMU + bridge     ${bridgeCpu.toFixed(2)} (QEMU ${bridge.cpu[0]!.toFixed(2)}, the server ${bridge.cpu[1]!.toFixed(2)})`);
    console.log(`    CPU s/s, QEMU alone        ${floorCpu.toFixed(2)} (it frames the WebSocket itself)`);
    console.log(`    ratio                      ${(bridgeCpu / floorCpu).toFixed(2)}× (aim ≤ 1.20×)`);
  } finally {
    floorHttp.close();
    await browser?.close();
    server?.kill('SIGTERM');
    await server?.catch(() => {});
    await w.cleanup();
  }
});
