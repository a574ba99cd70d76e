// How each CPU architecture is named to people. Apart from vm-choices.ts (which gives it its
// type, GuestArch, and re-exports it) so the renderer's library can name a guest's
// architecture without evaluating zod's schemas.
export const ARCH_LABELS = {
  x86_64: 'x86_64 (PC)',
  aarch64: 'ARM (aarch64)',
  riscv64: 'RISC-V (riscv64)',
} as const;
