// "Show display" for a guest in QEMU's own window: raise that window where the desktop allows
// it. X11 lets a helper (wmctrl, xdotool) activate another program's window; Wayland does not,
// by design, so there the app opens on the guest instead. QEMU's GTK window is titled
// "QEMU (<name>)" from `-name`.
import { execa } from 'execa';

export type Which = (bin: string) => Promise<boolean>;

const which: Which = (bin) => execa('which', [bin], { reject: false }).then((r) => r.exitCode === 0);

export async function raiseCommand(name: string, env: NodeJS.ProcessEnv, has: Which = which): Promise<string[] | null> {
  if (env.XDG_SESSION_TYPE === 'wayland' || !env.DISPLAY) return null;
  const title = `QEMU (${name})`;
  if (await has('wmctrl')) return ['wmctrl', '-a', title];
  if (await has('xdotool')) return ['xdotool', 'search', '--name', title, 'windowactivate'];
  return null;
}

/** True when the guest's own window was raised; false: show the guest in the app instead. */
export async function raiseGuestWindow(name: string, env: NodeJS.ProcessEnv = process.env, has?: Which): Promise<boolean> {
  const cmd = await raiseCommand(name, env, has);
  if (!cmd) return false;
  const r = await execa(cmd[0]!, cmd.slice(1), { reject: false, timeout: 3000 });
  return r.exitCode === 0;
}
