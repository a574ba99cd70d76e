// Every architecture alike in the library and on the guest page (issue 21): a guest this computer
// emulates carries a badge with its architecture, and why it is slow (the wizard's words); a
// guest of the host's own architecture carries none. On a PC here, and on an ARM host (a
// capability fixture: host.probe answered with hostArch aarch64).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { Root } from '../../src/renderer/Root';
import { hostFixture } from '../fixtures/caps/hosts';
import { realClient, steerableClient } from './client';

let ctx: Awaited<ReturnType<typeof realClient>>;

beforeEach(async () => {
  ctx = await realClient('gb-ui-arch-');
  for (const [preset, name] of [['linux', 'pc'], ['linux-aarch64', 'arm'], ['linux-riscv64', 'rv']] as const) {
    await ctx.client.call('guests.create', { preset, name, diskSize: '64M' });
  }
});

afterEach(async () => {
  cleanup();
  location.hash = '';
  await ctx.world.cleanup();
});

const PC_HOST = { ...hostFixture('qemu-10.0', 'amd-tcg'), hostArch: 'x86_64' as const };
const ARM_HOST = { ...PC_HOST, hostArch: 'aarch64' as const };

describe('a guest\'s architecture', () => {
  it('is a badge on an emulated guest\'s card, saying why it is slow; none on the PC\'s own', async () => {
    location.hash = '#/';
    const { client } = steerableClient(ctx.world, { answer: { 'host.probe': PC_HOST } });
    render(<Root client={client} />);
    await screen.findByTestId('guest-card-arm');
    const arm = screen.getByTestId('guest-arch-arm');
    expect(arm.textContent).toBe('ARM (aarch64)');
    expect(arm.getAttribute('title')).toMatch(/not this computer’s architecture \(x86_64 \(PC\)\): QEMU emulates every instruction \(TCG\), so it runs many times slower/);
    expect(arm.getAttribute('title')).toMatch(/1\.45× slower again than an emulated PC/);
    expect(screen.getByTestId('guest-arch-rv').textContent).toBe('RISC-V (riscv64)');
    expect(screen.getByTestId('guest-card-rv').textContent).toMatch(/RISC-V \(riscv64\)/);
    expect(screen.queryByTestId('guest-arch-pc')).toBeNull();
  });

  it('is turned round on an ARM host: the PC guest is the emulated one', async () => {
    location.hash = '#/';
    const { client } = steerableClient(ctx.world, { answer: { 'host.probe': ARM_HOST } });
    render(<Root client={client} />);
    await screen.findByTestId('guest-card-pc');
    await waitFor(() => expect(screen.getByTestId('guest-arch-pc').textContent).toBe('x86_64 (PC)'));
    expect(screen.queryByTestId('guest-arch-arm')).toBeNull();
    expect(screen.getByTestId('guest-arch-rv').textContent).toBe('RISC-V (riscv64)');
  });

  it('is in the guest page\'s header, with the emulated-speed note', async () => {
    location.hash = '#/guest/rv';
    const { client } = steerableClient(ctx.world, { answer: { 'host.probe': PC_HOST } });
    render(<Root client={client} />);
    expect((await screen.findByTestId('guest-arch')).textContent).toBe('RISC-V (riscv64)');
    expect(screen.getByTestId('guest-arch-why').textContent).toMatch(/^RISC-V \(riscv64\) is not this computer’s architecture .* many times slower .* Fine for trying a system; slow for daily work\.$/);
  });

  it('is not shown on the guest page of a guest of the host\'s own architecture', async () => {
    location.hash = '#/guest/pc';
    const { client } = steerableClient(ctx.world, { answer: { 'host.probe': PC_HOST } });
    render(<Root client={client} />);
    await screen.findByTestId('guest-resources'); // the page has the guest's config
    expect(screen.queryByTestId('guest-arch')).toBeNull();
    expect(screen.queryByTestId('guest-arch-why')).toBeNull();
  });
});
