// "virtiofsd 1.13.2", "TPM emulator version 0.7.1, Copyright …", "qemu-img version 7.2.22
// (Debian …)": the first dotted number on the first line that has one.
export function parseToolVersion(text: string): string | null {
  for (const line of text.split('\n')) {
    const m = /(?:^|[\s(v])(\d+\.\d+(?:\.\d+)?)/.exec(line);
    if (m?.[1]) return m[1];
  }
  return null;
}
