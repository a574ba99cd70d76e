// The wizard against the real API in-process: client-side checks for names and sizes, and the
// server's field errors (a missing ISO) shown next to the field they concern.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, type Transport } from '../../src/shared/client';
import { Root } from '../../src/renderer/Root';
import { realClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient();
  location.hash = '#/new';
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

async function setup() {
  const user = userEvent.setup();
  render(<Root client={ctx.client} />);
  await screen.findByTestId('wizard-os-linux');
  return user;
}

async function fill(user: ReturnType<typeof userEvent.setup>, testId: string, text: string) {
  const el = screen.getByTestId(testId);
  await user.clear(el);
  if (text) await user.type(el, text);
}

async function next(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByTestId('wizard-next'));
}

describe('wizard: other architectures', () => {
  it('offers Linux for ARM and RISC-V, and says the architecture and why it is emulated (slow) here', async () => {
    const user = await setup();
    await user.click(screen.getByTestId('wizard-os-linux-aarch64'));
    const arch = await screen.findByTestId('wizard-arch');
    expect(arch.textContent).toMatch(/Architecture: ARM \(aarch64\)\./);
    expect(arch.textContent).toMatch(/not this computer’s architecture.*emulates every instruction.*many times slower/);
    await user.click(screen.getByTestId('wizard-os-linux-riscv64'));
    expect((await screen.findByTestId('wizard-arch')).textContent).toMatch(/Architecture: RISC-V \(riscv64\)\..*emulates every instruction/);
    await user.click(screen.getByTestId('wizard-os-linux'));
    expect((await screen.findByTestId('wizard-arch')).textContent).toMatch(/Architecture: x86_64 \(PC\)\..*own architecture/);
  });
});

describe('wizard validation', () => {
  it('rejects bad names next to the name field', async () => {
    const user = await setup();
    await user.click(screen.getByTestId('wizard-os-linux'));
    await fill(user, 'field-name', '../x');
    await next(user);
    expect((await screen.findByTestId('field-name-error')).textContent).toMatch(/letters, digits/);
    expect(screen.getByTestId('field-name').getAttribute('aria-invalid')).toBe('true');

    await fill(user, 'field-name', 'my vm');
    expect(screen.queryByTestId('field-name-error')).toBeNull(); // editing clears the message
    await next(user);
    expect((await screen.findByTestId('field-name-error')).textContent).toMatch(/no spaces/);

    await fill(user, 'field-name', '');
    await next(user);
    expect((await screen.findByTestId('field-name-error')).textContent).toMatch(/name is required/);
    expect(screen.queryByTestId('field-iso')).toBeNull(); // still on the first step
  });

  it('rejects bad disk sizes next to the size field', async () => {
    const user = await setup();
    await fill(user, 'field-name', 'sizes');
    await next(user);
    await screen.findByTestId('field-iso');
    await next(user); // media: nothing given, the server agrees
    await screen.findByTestId('wizard-firmware-uefi', {}, { timeout: 20_000 });
    await next(user);
    await screen.findByTestId('field-disk-size', {}, { timeout: 20_000 });

    await fill(user, 'field-disk-size', '-5G');
    await next(user);
    expect((await screen.findByTestId('field-disk-size-error')).textContent).toMatch(/negative/);

    await fill(user, 'field-disk-size', '9999T');
    await next(user);
    expect((await screen.findByTestId('field-disk-size-error')).textContent).toMatch(/too large/);

    await fill(user, 'field-disk-size', 'lots');
    await next(user);
    expect((await screen.findByTestId('field-disk-size-error')).textContent).toMatch(/not a size/);
  });

  it('shows the server’s error for a missing ISO next to the ISO field', async () => {
    const user = await setup();
    await fill(user, 'field-name', 'noiso');
    await next(user);
    await fill(user, 'field-iso', '/nonexistent/installer.iso');
    await next(user);
    const error = await screen.findByTestId('field-iso-error', {}, { timeout: 20_000 });
    expect(error.textContent).toMatch(/\/nonexistent\/installer\.iso does not exist/);
    expect(ctx.calls).toContain('guests.preview');
    expect(screen.getByTestId('field-iso')).toBeTruthy(); // the wizard stayed on the media step
  });

  it('maps a server error on a later step back onto its field (initrd without kernel is caught first here)', async () => {
    const user = await setup();
    await fill(user, 'field-name', 'kern');
    await next(user);
    await fill(user, 'field-initrd', '/boot/initrd.img');
    await next(user);
    expect((await screen.findByTestId('field-initrd-error')).textContent).toMatch(/needs a kernel/);
    await fill(user, 'field-kernel', '/nonexistent/vmlinuz');
    await next(user);
    expect((await screen.findByTestId('field-kernel-error', {}, { timeout: 20_000 })).textContent).toMatch(/does not exist/);
  });

  it('reviews the exact command and creates the guest', async () => {
    const dir = join(ctx.world.env.HOME!, 'media');
    await mkdir(dir, { recursive: true });
    const iso = join(dir, 'tiny.iso');
    await writeFile(iso, Buffer.alloc(64 * 1024));
    const user = await setup();
    await fill(user, 'field-name', 'tiny');
    await next(user);
    await fill(user, 'field-iso', iso);
    for (const marker of ['wizard-firmware-uefi', 'field-disk-size', 'field-nic', 'share-add', 'wizard-create']) {
      await next(user);
      await screen.findByTestId(marker, {}, { timeout: 20_000 });
    }
    const cmd = await screen.findByTestId('wizard-review-command');
    // This host has QEMU and OVMF (scripts/setup.sh --test): the review shows the command itself.
    expect(cmd.textContent).toMatch(/qemu-system-x86_64/);
    expect(cmd.textContent).toContain(iso);
    await user.click(screen.getByTestId('wizard-create'));
    await waitFor(() => expect(location.hash).toBe('#/guest/tiny'), { timeout: 20_000 });
    const list = await ctx.client.call('guests.list', {});
    expect(list.map((g) => g.name)).toContain('tiny');
  });

  it('memory in a file, ticked on the resources step: said in the review and the command, and the guest has it', async () => {
    const user = await setup();
    await fill(user, 'field-name', 'ramfile');
    for (const marker of ['field-iso', 'wizard-firmware-uefi', 'field-disk-size']) {
      await next(user);
      await screen.findByTestId(marker, {}, { timeout: 20_000 });
    }
    await fill(user, 'field-memory', '1.5');
    // What it costs, with the memory as typed.
    expect(screen.getByTestId('wizard-memory-file-why').textContent).toMatch(/uses 1\.5 GiB of disk in the guest’s folder/);
    await user.click(screen.getByTestId('wizard-memory-file'));
    for (const marker of ['field-nic', 'share-add', 'wizard-create']) {
      await next(user);
      await screen.findByTestId(marker, {}, { timeout: 20_000 });
    }
    expect(screen.getByTestId('wizard-summary-cpu').textContent).toMatch(/1\.5 GiB in a file in the guest’s folder/);
    expect((await screen.findByTestId('wizard-review-command')).textContent).toMatch(/memory-backend-file,id=[^ ]*mem-path=[^ ]*memory\.ram/);
    await user.click(screen.getByTestId('wizard-create'));
    await waitFor(() => expect(location.hash).toBe('#/guest/ramfile'), { timeout: 20_000 });
    const { config } = await ctx.client.call('guests.get', { name: 'ramfile' });
    expect(config).toMatchObject({ memoryMiB: 1536, memoryFile: true });
  });

  it('shows each system\'s own defaults and choices from presets.list: Windows 11 with and without virtio-win, Linux\'s share methods', async () => {
    const drivers = join(ctx.world.env.HOME!, 'virtio-win.iso');
    await writeFile(drivers, Buffer.alloc(64 * 1024));
    const user = await setup();
    await user.click(screen.getByTestId('wizard-os-windows-11'));
    await fill(user, 'field-name', 'win');
    await next(user);
    await screen.findByTestId('field-drivers-iso');
    expect(screen.queryByTestId('field-kernel')).toBeNull(); // no direct kernel boot for Windows
    await next(user);
    await screen.findByTestId('wizard-firmware-uefi-secure', {}, { timeout: 20_000 });
    expect(screen.getByTestId('wizard-firmware-uefi-secure').textContent).toMatch(/recommended/);
    expect((screen.getByTestId('field-tpm') as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByTestId('wizard-firmware-uefi'));
    await next(user);
    expect((await screen.findByTestId('field-firmware-error')).textContent).toMatch(/Windows 11 installs only with UEFI \+ Secure Boot and a TPM 2\.0/);
    await user.click(screen.getByTestId('wizard-firmware-uefi-secure'));
    await next(user);
    await screen.findByTestId('field-cores', {}, { timeout: 20_000 });
    await next(user);
    const nic = (await screen.findByTestId('field-nic', {}, { timeout: 20_000 })) as HTMLSelectElement;
    expect(nic.options[0]!.textContent).toBe('Recommended (e1000e)');
    expect((screen.getByTestId('field-disk-bus') as HTMLSelectElement).options[0]!.textContent).toBe('Recommended (sata)');
    // With the drivers disc, the preset's own choices become virtio.
    await user.click(screen.getByTestId('wizard-step-media'));
    await fill(user, 'field-drivers-iso', drivers);
    await user.click(screen.getByTestId('wizard-step-devices'));
    expect(((await screen.findByTestId('field-nic')) as HTMLSelectElement).options[0]!.textContent).toBe('Recommended (virtio-net)');
    await next(user);
    const method = (await screen.findByTestId('field-share-method', {}, { timeout: 20_000 })) as HTMLSelectElement;
    expect([...method.options].map((o) => o.value)).toEqual(['', 'virtiofs', 'smb']);
    expect(method.options[0]!.textContent).toBe('Recommended (virtiofs)');

    // Linux can mount every method, SMB included (the OS table), with virtiofs recommended.
    await user.click(screen.getByTestId('wizard-step-os'));
    await user.click(screen.getByTestId('wizard-os-linux'));
    await user.click(screen.getByTestId('wizard-step-shares'));
    const linuxMethods = (await screen.findByTestId('field-share-method')) as HTMLSelectElement;
    expect([...linuxMethods.options].map((o) => o.value)).toEqual(['', 'virtiofs', '9p', 'smb']);
    expect(linuxMethods.options[0]!.textContent).toBe('Recommended (virtiofs)');
  });

  it('without presets.list the wizard says so and can ask again, instead of guessing', async () => {
    let fail = true;
    const transport: Transport = {
      request: async (call, input) => {
        if (call === 'presets.list' && fail) return { ok: false, error: { name: 'Error', message: 'the presets could not be read' } };
        return ctx.world.api.dispatch(call, JSON.parse(JSON.stringify(input ?? {})));
      },
      subscribe: (h) => ctx.world.api.onEvent(h),
    };
    const user = userEvent.setup();
    render(<Root client={createClient(transport)} />);
    expect((await screen.findByTestId('wizard-error')).textContent).toMatch(/presets could not be read/);
    expect(screen.queryByTestId('wizard-os-linux')).toBeNull();
    expect((screen.getByTestId('wizard-next') as HTMLButtonElement).disabled).toBe(true);
    fail = false;
    await user.click(screen.getByTestId('wizard-presets-retry'));
    await screen.findByTestId('wizard-os-linux');
    expect(screen.queryByTestId('wizard-error')).toBeNull();
  });
});
