// A macOS guest's own SMBIOS identity (model, serial, board serial, ROM, UUID), made once when
// the guest is created and kept in its VmConfig `macos` field. Every guest gets its own because
// Apple's services (iCloud, App Store, iMessage) tie an account to these values: images that
// ship one fixed identity make all their users look like one Mac, and sign-ins fail.
//
// The formats follow macserial (OpenCorePkg Utilities/macserial: FORMAT.md, macserial.c,
// modelinfo.h, modelinfo_autogen.h at tag 1.0.7), reimplemented here from those descriptions.
// Apple's real derivation is unknown; macserial's rules are reverse engineered. They produce
// values Apple's tools decode as plausible, and 17-character MLBs that pass the checksum
// Apple's diagnostics apply. They are not Apple-registered serials, and need not be.
import { randomBytes } from 'node:crypto';
import { macosRelease, type MacosReleaseKey } from '../../shared/os/macos-releases';

export interface MacIdentity {
  /** SMBIOS SystemProductName, e.g. iMacPro1,1. */
  model: string;
  /** 12 characters: location, year, week, production line, product code. */
  serial: string;
  /** 17-character main logic board serial (MLB, SMBIOS BoardSerialNumber). */
  mlb: string;
  /** 6 bytes as 12 lower-case hex digits (NVRAM 4D1EDE05-…:ROM). */
  rom: string;
  /** SMBIOS SystemUUID, upper case. */
  uuid: string;
}

/** n cryptographically random bytes (crypto.randomBytes); tests inject a seeded source. */
export type RandomBytes = (n: number) => Uint8Array;

export interface MacModelFacts {
  /** Manufacturing location macserial uses: the first 3 characters of its base serial. */
  location: string;
  /** Product code (last 4 of the serial). macserial always takes its list's first, "for stability". */
  productCode: string;
  /** Logic board code (EEEE in the MLB): likewise the first of macserial's list. */
  boardCode: string;
  /** Production years macserial allows for the model; one is picked at random. */
  years: readonly number[];
  /** Board ID OpenCore derives from the model (AppleModels/DataBase). */
  boardId: string;
  /** Releases Apple supports on the model (AppleModels/DataBase Minimum/MaximumOSVersion). */
  minOs: string;
  maxOs: string | null;
}

// From modelinfo_autogen.h (ApplePlatformData, AppleModelCode, AppleBoardCode, AppleModelYear)
// and AppleModels/DataBase/{iMacPro/IMP11,iMac/IM201}.yaml, OpenCorePkg 1.0.7.
export const MAC_MODELS: Readonly<Record<string, MacModelFacts>> = {
  // OSX-KVM's and dockur's model: the iMac Pro's Xeon W is close to the Intel models QEMU offers,
  // and Apple supports it from High Sierra (10.13.2) through Sequoia.
  'iMacPro1,1': {
    location: 'C02',
    productCode: 'HX87',
    boardCode: 'JG36',
    years: [2017, 2018, 2019, 2020, 2021],
    boardId: 'Mac-7BA5B2D9E42DDD94',
    minOs: '10.13.2',
    maxOs: '15.7.4',
  },
  // Apple dropped the iMac Pro in macOS 26; the iMac (2020) is supported there, and its board
  // ID is the one OpenCorePkg's recovery list uses for Tahoe.
  'iMac20,1': {
    location: 'C02',
    productCode: 'PN5T',
    boardCode: 'PHC1',
    years: [2020, 2021, 2022],
    boardId: 'Mac-CFF7D910A743CAAF',
    minOs: '10.15.6',
    maxOs: null,
  },
};

/** The model a new guest of this release gets: one Apple supports for it (the release table's `macModel`). */
export function defaultModelFor(release: MacosReleaseKey): string {
  const r = macosRelease(release);
  if (!r) throw new Error(`unknown macOS release "${release}"`);
  return r.macModel;
}

/** Apple's base 34: digits and capitals without I and O (FORMAT.md "Apple base 34"). */
const BASE34 = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/**
 * 12-character serials: two letters per year of a decade (2010s, then again for the 2020s),
 * the first for weeks 1–26, the second for weeks 27–53 (FORMAT.md "Year").
 */
const YEAR_CHARS = 'CDFGHJKLMNPQRSTVWXYZ';
/** Week within the half year, 1–26 (FORMAT.md "Week"); 'Y' only as week 53. */
const WEEK_CHARS = '123456789CDFGHJKLMNPQRTVWX';
/** Line = c0·68 + c1·34 + c2 over base 34: 3400 lines (FORMAT.md "Production line and copy"). */
const LINE_MAX = 3399;
/** The most a line can be with its first character 0 (33·34 + 33). */
const LINE_FIRST_ZERO_MAX = 1155;
// The fixed blocks of a 17-character MLB (modelinfo.h MLBBlock1/2/3). macserial's block 2 also
// lists "OP", but O is not in Apple's alphabet, so its checksum loop can never accept it.
const MLB_BLOCK1 = ['200', '600', '403', '404', '405', '303', '108', '207', '609', '501', '306', '102', '701', '301', '101', '300', '130', '100', '270', '310', '902', '104', '401', '500', '700', '802'];
const MLB_BLOCK2 = ['GU', '4N', 'J9', 'QX', 'CD'];
const MLB_BLOCK3 = ['1H', '1M', 'AD', '1F', 'A8', 'UE', 'JA', 'JC', '8C', 'CB', 'FB'];

export interface IdentityOptions {
  model?: string;
  random?: RandomBytes;
}

export function generateIdentity(o: IdentityOptions = {}): MacIdentity {
  const model = o.model ?? 'iMacPro1,1';
  const facts = MAC_MODELS[model];
  if (!facts) throw new Error(`no serial rules for Mac model "${model}"; known: ${Object.keys(MAC_MODELS).join(', ')}`);
  const rnd = new Rng(o.random ?? randomBytes);

  const year = facts.years[rnd.below(facts.years.length)]!;
  // macserial leaves out week 53: too rare to look plausible.
  const week = 1 + rnd.below(52);
  const line = rnd.below(LINE_MAX + 1);
  const serial = facts.location + yearChar(year, week) + weekChar(week) + lineChars(line) + facts.productCode;

  return {
    model,
    serial,
    mlb: makeMlb(facts, year, week, rnd),
    rom: makeRom(rnd),
    uuid: makeUuid(rnd),
  };
}

/** The identity a guest keeps: the one it has, or a new one for its release's default model. */
export function ensureIdentity(existing: MacIdentity | undefined, release: MacosReleaseKey, random?: RandomBytes): MacIdentity {
  if (existing) return existing;
  return generateIdentity({ model: defaultModelFor(release), random });
}

function yearChar(year: number, week: number): string {
  const decade = year >= 2020 ? 2020 : 2010;
  return YEAR_CHARS[(year - decade) * 2 + (week >= 27 ? 1 : 0)]!;
}

function weekChar(week: number): string {
  if (week === 53) return 'Y';
  return WEEK_CHARS[(week - 1) % 26]!;
}

function lineChars(line: number): string {
  // The first character is the smallest that still lets the other two reach the line
  // (macserial's "copy 1" of that line).
  const first = line > LINE_FIRST_ZERO_MAX ? Math.ceil((line - LINE_FIRST_ZERO_MAX) / 68) : 0;
  const rest = line - first * 68;
  return BASE34[first]! + BASE34[Math.floor(rest / 34)]! + BASE34[rest % 34]!;
}

/**
 * Location + year digit + two-digit week + blocks + board code + block, redrawn until the
 * checksum holds. The board is made before the Mac: its week is the serial's week minus one,
 * week 0 becoming week 53 of the year before (FORMAT.md "Year and week", macserial get_mlb).
 */
function makeMlb(facts: MacModelFacts, year: number, week: number, rnd: Rng): string {
  let y = year % 10;
  let w = week - 1;
  if (w === 0) {
    w = 53;
    y = (y + 9) % 10;
  }
  const head = `${facts.location}${y}${String(w).padStart(2, '0')}`;
  // 1 in 34 draws passes; 10 000 failures in a row means a broken random source, not bad luck.
  for (let i = 0; i < 10_000; i++) {
    const mlb = head + pick(MLB_BLOCK1, rnd) + pick(MLB_BLOCK2, rnd) + facts.boardCode + pick(MLB_BLOCK3, rnd);
    if (mlbChecksumOk(mlb)) return mlb;
  }
  throw new Error('could not draw an MLB that passes its checksum: is the random source constant?');
}

/**
 * The 17-character MLB check (FORMAT.md "Suffix"): each character's base-34 value, weighted 3
 * at positions of the same parity as the length and 1 elsewhere, sums to a multiple of 34.
 */
export function mlbChecksumOk(mlb: string): boolean {
  let sum = 0;
  for (let i = 0; i < mlb.length; i++) {
    const v = BASE34.indexOf(mlb[i]!);
    if (v < 0) return false;
    sum += ((i & 1) === (mlb.length & 1) ? 3 : 1) * v;
  }
  return sum % 34 === 0;
}

export interface DecodedSerial {
  location: string;
  year: number;
  week: number;
  line: number;
  productCode: string;
  model: string | null;
  problems: string[];
}

/** Reads a 12-character serial back as macserial's `-i` does, listing what does not fit. */
export function decodeSerial(serial: string): DecodedSerial {
  const problems: string[] = [];
  if (serial.length !== 12) problems.push(`length ${serial.length}, not 12`);
  for (const c of serial) if (!BASE34.includes(c)) problems.push(`'${c}' is not in Apple's base 34`);
  const location = serial.slice(0, 3);
  const productCode = serial.slice(8, 12);
  const model = Object.entries(MAC_MODELS).find(([, f]) => f.productCode === productCode)?.[0] ?? null;
  if (!model) problems.push(`unknown product code ${productCode}`);

  const yi = YEAR_CHARS.indexOf(serial[3] ?? '');
  const half = yi >= 0 ? yi % 2 : 0;
  let year = -1;
  if (yi < 0) problems.push(`'${serial[3]}' is not a year character`);
  else {
    // The year letters repeat every decade: models first sold from 2017 on take the 2020s for
    // the decade's first years, as macserial decides it.
    const firstYear = model ? MAC_MODELS[model]!.years[0]! : 2010;
    const offset = Math.floor(yi / 2);
    year = (firstYear >= 2017 && offset < 7 ? 2020 : 2010) + offset;
    if (model && !MAC_MODELS[model]!.years.includes(year)) problems.push(`${model} was not made in ${year}`);
  }

  const wc = serial[4] ?? '';
  const wi = WEEK_CHARS.indexOf(wc);
  let week = wc === 'Y' && half === 1 ? 53 : wi >= 0 ? wi + 1 + half * 26 : -1;
  if (week < 1 || week > 53) {
    problems.push(`'${wc}' is not a week character`);
    week = -1;
  }

  const l = [...serial.slice(5, 8)].map((c) => BASE34.indexOf(c));
  const line = l.some((v) => v < 0) ? -1 : l[0]! * 68 + l[1]! * 34 + l[2]!;
  if (line < 0 || line > LINE_MAX) problems.push(`line ${serial.slice(5, 8)} is out of range`);
  return { location, year, week, line, productCode, model, problems };
}

function makeRom(rnd: Rng): string {
  const b = rnd.bytes(6);
  // Locally administered, unicast: shaped like a MAC address no vendor was assigned, so it
  // can never collide with a real NIC's burnt-in address.
  b[0] = (b[0]! & 0xfc) | 0x02;
  return Buffer.from(b).toString('hex');
}

function makeUuid(rnd: Rng): string {
  const b = rnd.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4 (random)
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = Buffer.from(b).toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function pick<T>(list: readonly T[], rnd: Rng): T {
  return list[rnd.below(list.length)]!;
}

class Rng {
  constructor(private readonly source: RandomBytes) {}

  bytes(n: number): Uint8Array {
    const b = this.source(n);
    if (b.length < n) throw new Error(`the random source gave ${b.length} bytes, not ${n}`);
    return Uint8Array.from(b.subarray(0, n));
  }

  /** Uniform in [0, n): rejection sampling, so small ranges carry no modulo bias. */
  below(n: number): number {
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const b = this.bytes(4);
      const v = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
      if (v < limit) return v % n;
    }
  }
}
