// Language, keyboard and time zone for Windows Setup from the host's own settings: the locale
// ($LC_ALL, $LC_MESSAGES, $LANG: "de_DE.UTF-8" → de-DE), the time zone (the /etc/localtime link
// or $TZ: "Europe/Berlin" → Windows' "W. Europe Standard Time") and the input locale Windows
// pairs with that language ("de-DE" → 0407:00000407). Windows names time zones its own way
// (tzutil /l); the table maps the IANA names people live in, from CLDR's windowsZones.xml.
import { readlink } from 'node:fs/promises';

export interface WindowsLocale {
  /** Setup's UI language and the system/user locale, e.g. en-US. */
  language: string;
  /** InputLocale: `LANGID:KLID`, e.g. 0409:00000409. */
  inputLocale: string;
  /** A Windows time zone name, e.g. "W. Europe Standard Time". */
  timeZone: string;
  /** Where each came from, for the summary. */
  from: { language: string; timeZone: string };
}

/** IANA zone → Windows zone (CLDR windowsZones.xml, territory "001" and common aliases). */
export const TIME_ZONES: Record<string, string> = {
  UTC: 'UTC',
  'Etc/UTC': 'UTC',
  'Etc/GMT': 'UTC',
  'Europe/London': 'GMT Standard Time',
  'Europe/Dublin': 'GMT Standard Time',
  'Europe/Lisbon': 'GMT Standard Time',
  'Europe/Berlin': 'W. Europe Standard Time',
  'Europe/Amsterdam': 'W. Europe Standard Time',
  'Europe/Vienna': 'W. Europe Standard Time',
  'Europe/Zurich': 'W. Europe Standard Time',
  'Europe/Rome': 'W. Europe Standard Time',
  'Europe/Stockholm': 'W. Europe Standard Time',
  'Europe/Oslo': 'W. Europe Standard Time',
  'Europe/Paris': 'Romance Standard Time',
  'Europe/Brussels': 'Romance Standard Time',
  'Europe/Madrid': 'Romance Standard Time',
  'Europe/Copenhagen': 'Romance Standard Time',
  'Europe/Prague': 'Central Europe Standard Time',
  'Europe/Budapest': 'Central Europe Standard Time',
  'Europe/Bratislava': 'Central Europe Standard Time',
  'Europe/Belgrade': 'Central Europe Standard Time',
  'Europe/Ljubljana': 'Central Europe Standard Time',
  'Europe/Warsaw': 'Central European Standard Time',
  'Europe/Zagreb': 'Central European Standard Time',
  'Europe/Athens': 'GTB Standard Time',
  'Europe/Bucharest': 'GTB Standard Time',
  'Europe/Helsinki': 'FLE Standard Time',
  'Europe/Kiev': 'FLE Standard Time',
  'Europe/Kyiv': 'FLE Standard Time',
  'Europe/Riga': 'FLE Standard Time',
  'Europe/Tallinn': 'FLE Standard Time',
  'Europe/Vilnius': 'FLE Standard Time',
  'Europe/Sofia': 'FLE Standard Time',
  'Europe/Istanbul': 'Turkey Standard Time',
  'Europe/Moscow': 'Russian Standard Time',
  'America/New_York': 'Eastern Standard Time',
  'America/Toronto': 'Eastern Standard Time',
  'America/Detroit': 'Eastern Standard Time',
  'America/Chicago': 'Central Standard Time',
  'America/Winnipeg': 'Central Standard Time',
  'America/Mexico_City': 'Central Standard Time (Mexico)',
  'America/Denver': 'Mountain Standard Time',
  'America/Edmonton': 'Mountain Standard Time',
  'America/Phoenix': 'US Mountain Standard Time',
  'America/Los_Angeles': 'Pacific Standard Time',
  'America/Vancouver': 'Pacific Standard Time',
  'America/Anchorage': 'Alaskan Standard Time',
  'Pacific/Honolulu': 'Hawaiian Standard Time',
  'America/Halifax': 'Atlantic Standard Time',
  'America/St_Johns': 'Newfoundland Standard Time',
  'America/Sao_Paulo': 'E. South America Standard Time',
  'America/Argentina/Buenos_Aires': 'Argentina Standard Time',
  'America/Bogota': 'SA Pacific Standard Time',
  'America/Lima': 'SA Pacific Standard Time',
  'America/Santiago': 'Pacific SA Standard Time',
  'Asia/Tokyo': 'Tokyo Standard Time',
  'Asia/Seoul': 'Korea Standard Time',
  'Asia/Shanghai': 'China Standard Time',
  'Asia/Hong_Kong': 'China Standard Time',
  'Asia/Taipei': 'Taipei Standard Time',
  'Asia/Singapore': 'Singapore Standard Time',
  'Asia/Kolkata': 'India Standard Time',
  'Asia/Calcutta': 'India Standard Time',
  'Asia/Dubai': 'Arabian Standard Time',
  'Asia/Jerusalem': 'Israel Standard Time',
  'Asia/Bangkok': 'SE Asia Standard Time',
  'Asia/Jakarta': 'SE Asia Standard Time',
  'Asia/Manila': 'Singapore Standard Time',
  'Australia/Sydney': 'AUS Eastern Standard Time',
  'Australia/Melbourne': 'AUS Eastern Standard Time',
  'Australia/Brisbane': 'E. Australia Standard Time',
  'Australia/Adelaide': 'Cen. Australia Standard Time',
  'Australia/Perth': 'W. Australia Standard Time',
  'Pacific/Auckland': 'New Zealand Standard Time',
  'Africa/Johannesburg': 'South Africa Standard Time',
  'Africa/Cairo': 'Egypt Standard Time',
  'Africa/Lagos': 'W. Central Africa Standard Time',
  'Africa/Nairobi': 'E. Africa Standard Time',
};

/** Language tag → Windows' default input locale for it (LANGID:KLID, Microsoft's "Default Input Profiles"). */
export const INPUT_LOCALES: Record<string, string> = {
  'en-US': '0409:00000409',
  'en-GB': '0809:00000809',
  'en-CA': '1009:00000409',
  'en-AU': '0c09:00000409',
  'en-IE': '1809:00001809',
  'de-DE': '0407:00000407',
  'de-AT': '0c07:00000407',
  'de-CH': '0807:00000807',
  'fr-FR': '040c:0000040c',
  'fr-BE': '080c:0000080c',
  'fr-CA': '0c0c:00001009',
  'fr-CH': '100c:0000100c',
  'it-IT': '0410:00000410',
  'es-ES': '0c0a:0000040a',
  'es-MX': '080a:0000080a',
  'pt-PT': '0816:00000816',
  'pt-BR': '0416:00000416',
  'nl-NL': '0413:00020409',
  'nl-BE': '0813:00000813',
  'sv-SE': '041d:0000041d',
  'nb-NO': '0414:00000414',
  'da-DK': '0406:00000406',
  'fi-FI': '040b:0000040b',
  'pl-PL': '0415:00000415',
  'cs-CZ': '0405:00000405',
  'sk-SK': '041b:0000041b',
  'hu-HU': '040e:0000040e',
  'ro-RO': '0418:00010418',
  'el-GR': '0408:00000408',
  'tr-TR': '041f:0000041f',
  'ru-RU': '0419:00000419',
  'uk-UA': '0422:00020422',
  'ja-JP': '0411:{03B5835F-F03C-411B-9CE2-AA23E1171E36}{A76C93D9-5523-4E90-AAFA-4DB112F9AC76}',
  'ko-KR': '0412:{A028AE76-01B1-46C2-99C4-ACD9858AE02F}{B5FE1F02-D5F2-4445-9C03-C568F23C99A1}',
  'zh-CN': '0804:{81D4E9C9-1D3B-41BC-9E6C-4B40BF79E35E}{FA550B04-5AD7-411f-A5AC-CA038EC515D7}',
  'zh-TW': '0404:{B115690A-EA02-48D5-A231-E3578D2FDF80}{B2F9C502-1742-11D4-9790-0080C882687E}',
};

/** Windows UI languages a consumer ISO ships; another host language falls back to en-US. */
const FALLBACK = 'en-US';

/** "de_DE.UTF-8@euro" → "de-DE"; null for C/POSIX or anything unreadable. */
export function languageTag(posixLocale: string | undefined): string | null {
  const m = /^([a-z]{2,3})_([A-Z]{2})(?:[.@].*)?$/.exec(posixLocale ?? '');
  return m ? `${m[1]}-${m[2]}` : null;
}

export function windowsLocaleFrom(posixLocale: string | undefined, ianaZone: string | undefined): WindowsLocale {
  const tag = languageTag(posixLocale);
  const language = tag && INPUT_LOCALES[tag] ? tag : FALLBACK;
  const zone = ianaZone ? TIME_ZONES[ianaZone] : undefined;
  return {
    language,
    inputLocale: INPUT_LOCALES[language]!,
    timeZone: zone ?? 'UTC',
    from: {
      language: tag === language ? `the host's locale ${posixLocale}` : `${FALLBACK}: the host's locale ${posixLocale ?? '(none)'} has no Windows mapping here`,
      timeZone: zone ? `the host's time zone ${ianaZone}` : `UTC: the host's time zone ${ianaZone ?? '(unknown)'} has no Windows mapping here`,
    },
  };
}

/** The host's IANA zone: $TZ, else the /etc/localtime link's target after zoneinfo/. */
export async function hostTimeZone(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.TZ && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(env.TZ.replace(/^:/, ''))) return env.TZ.replace(/^:/, '');
  const target = await readlink('/etc/localtime').catch(() => '');
  const m = /zoneinfo\/(.+)$/.exec(target);
  return m?.[1] ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export async function hostWindowsLocale(env: NodeJS.ProcessEnv): Promise<WindowsLocale> {
  const posix = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return windowsLocaleFrom(posix, await hostTimeZone(env));
}
