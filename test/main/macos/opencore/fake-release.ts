// Test material for the OpenCore code: a minimal ZIP writer, a fake OpenCorePkg release laid
// out like the real one (build_oc.tool's X64/EFI/... tree, written by Info-ZIP `zip -r`), and
// a tiny UEFI application that proves it ran.
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { crc32 } from '../../../../src/main/media/crc32';

export interface ZipInput {
  name: string;
  data?: Buffer;
  /** Default: deflate when it helps, like Info-ZIP. */
  method?: 0 | 8;
  /** Raw general-purpose flags to write (tests set the encryption bit). */
  flags?: number;
  /** Overrides the method number written (tests write unsupported ones). */
  methodField?: number;
}

/** PKWARE APPNOTE layout: local headers + data, central directory, end record. */
export function makeZip(files: ZipInput[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const data = f.data ?? Buffer.alloc(0);
    const name = Buffer.from(f.name, 'utf8');
    const deflated = deflateRawSync(data);
    const method = f.method ?? (data.length > 0 && deflated.length < data.length ? 8 : 0);
    const body = method === 8 ? deflated : data;
    const crc = crc32(data);
    const common = (h: Buffer, at: number) => {
      h.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
      h.writeUInt16LE(f.flags ?? 0, at + 2);
      h.writeUInt16LE(f.methodField ?? method, at + 4);
      h.writeUInt16LE(0, at + 6); // time
      h.writeUInt16LE(0x21, at + 8); // date: 1980-01-01
      h.writeUInt32LE(crc, at + 10);
      h.writeUInt32LE(body.length, at + 14);
      h.writeUInt32LE(data.length, at + 18);
      h.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
    common(central, 6);
    central.writeUInt32LE(f.name.endsWith('/') ? 0x41ed0010 : 0x81a40000, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const c = Buffer.from(comment, 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(c.length, 20);
  return Buffer.concat([...locals, cd, end, c]);
}

/**
 * A UEFI application (PE32+, subsystem 10) that writes MARKER to QEMU's debug console (I/O port
 * 0x402) and then powers the machine off through the firmware's ResetSystem(EfiResetShutdown).
 * If QEMU exits on its own with the marker in the debugcon file, the firmware found this
 * program at \EFI\BOOT\BOOTx64.efi and ran it. The code is position-independent (no
 * relocations needed) and was assembled with GNU as from:
 *     mov rax, [rdx+0x58]      ; SystemTable->RuntimeServices
 *     mov rbx, [rax+0x68]      ; RuntimeServices->ResetSystem
 *     lea rsi, [rip+msg]
 *     mov dx, 0x402
 *   1: lodsb / test al,al / jz 2f / out dx,al / jmp 1b
 *   2: sub rsp, 40            ; shadow space, 16-byte aligned call
 *     mov ecx, 2 / xor edx,edx / xor r8d,r8d / xor r9d,r9d   ; EfiResetShutdown, 0, 0, NULL
 *     call rbx
 *   3: hlt / jmp 3b
 *   msg: MARKER "\n\0"
 */
export const EFI_MARKER = 'GUESTBAY-BOOTX64-RAN';
export function markerEfiApp(): Buffer {
  const code = Buffer.concat([
    Buffer.from('488b4258488b5868488d3522000000' + '66ba0204' + 'ac84c07403eeebf8' + '4883ec28b90200000031d24531c04531c9ffd3' + 'f4ebfd', 'hex'),
    Buffer.from(`${EFI_MARKER}\n\0`, 'latin1'),
  ]);
  // The lea above is rip+0x22: the message must start right after the code.
  if (code.indexOf(EFI_MARKER) !== 0x31) throw new Error('marker app: code and message offsets disagree');
  const FILE_ALIGN = 0x200;
  const SECTION_ALIGN = 0x1000;
  const h = Buffer.alloc(FILE_ALIGN);
  h.write('MZ', 0, 'latin1');
  h.writeUInt32LE(0x40, 0x3c); // e_lfanew
  let p = 0x40;
  h.write('PE\0\0', p, 'latin1');
  p += 4;
  // COFF header: x86-64, one section, PE32+ optional header size, executable + large-address-aware.
  h.writeUInt16LE(0x8664, p);
  h.writeUInt16LE(1, p + 2);
  h.writeUInt16LE(0xf0, p + 16);
  h.writeUInt16LE(0x0022, p + 18);
  p += 20;
  const opt = p;
  h.writeUInt16LE(0x20b, opt); // PE32+
  h.writeUInt32LE(FILE_ALIGN, opt + 4); // SizeOfCode
  h.writeUInt32LE(SECTION_ALIGN, opt + 16); // AddressOfEntryPoint
  h.writeUInt32LE(SECTION_ALIGN, opt + 20); // BaseOfCode
  h.writeBigUInt64LE(0x10000000n, opt + 24); // ImageBase
  h.writeUInt32LE(SECTION_ALIGN, opt + 32);
  h.writeUInt32LE(FILE_ALIGN, opt + 36);
  h.writeUInt32LE(2 * SECTION_ALIGN, opt + 56); // SizeOfImage
  h.writeUInt32LE(FILE_ALIGN, opt + 60); // SizeOfHeaders
  h.writeUInt16LE(10, opt + 68); // EFI application
  h.writeUInt16LE(0x0100, opt + 70); // NX compatible
  h.writeBigUInt64LE(0x100000n, opt + 72);
  h.writeBigUInt64LE(0x1000n, opt + 80);
  h.writeBigUInt64LE(0x100000n, opt + 88);
  h.writeBigUInt64LE(0x1000n, opt + 96);
  h.writeUInt32LE(16, opt + 108); // data directories, all empty
  const sec = opt + 0xf0;
  h.write('.text', sec, 'latin1');
  h.writeUInt32LE(code.length, sec + 8);
  h.writeUInt32LE(SECTION_ALIGN, sec + 12);
  h.writeUInt32LE(FILE_ALIGN, sec + 16);
  h.writeUInt32LE(FILE_ALIGN, sec + 20);
  h.writeUInt32LE(0x60000020, sec + 36); // code, execute, read
  const body = Buffer.alloc(FILE_ALIGN);
  code.copy(body);
  return Buffer.concat([h, body]);
}

export const FAKE_DRIVERS = ['OpenRuntime.efi', 'OpenHfsPlus.efi', 'OpenPartitionDxe.efi', 'ResetNvramEntry.efi', 'OpenCanopy.efi', 'AudioDxe.efi'];

/** A release zip with the real layout (directories first, as `zip -r` writes them). */
export function fakeRelease(o: { bootx64?: Buffer; omit?: string[] } = {}): { zip: Buffer; sha256: string } {
  const dummy = (name: string) => Buffer.from(`dummy ${name} `.repeat(64));
  const all: ZipInput[] = [
    { name: 'Docs/' },
    { name: 'Docs/Sample.plist', data: Buffer.from('<plist/>') },
    { name: 'IA32/EFI/BOOT/BOOTia32.efi', data: dummy('ia32') },
    { name: 'X64/' },
    { name: 'X64/EFI/' },
    { name: 'X64/EFI/BOOT/' },
    { name: 'X64/EFI/BOOT/.contentFlavour', data: Buffer.from('OpenCore'), method: 0 },
    { name: 'X64/EFI/BOOT/.contentVisibility', data: Buffer.from('Disabled'), method: 0 },
    { name: 'X64/EFI/BOOT/BOOTx64.efi', data: o.bootx64 ?? dummy('BOOTx64.efi') },
    { name: 'X64/EFI/OC/' },
    { name: 'X64/EFI/OC/.contentFlavour', data: Buffer.from('OpenCore'), method: 0 },
    { name: 'X64/EFI/OC/.contentVisibility', data: Buffer.from('Disabled'), method: 0 },
    { name: 'X64/EFI/OC/OpenCore.efi', data: dummy('OpenCore.efi') },
    { name: 'X64/EFI/OC/Drivers/' },
    ...FAKE_DRIVERS.map((d) => ({ name: `X64/EFI/OC/Drivers/${d}`, data: dummy(d) })),
    { name: 'X64/EFI/OC/Tools/OpenShell.efi', data: dummy('shell') },
    { name: 'Utilities/macserial/macserial.linux', data: dummy('macserial') },
  ];
  const zip = makeZip(all.filter((f) => !o.omit?.includes(f.name)));
  return { zip, sha256: createHash('sha256').update(zip).digest('hex') };
}
