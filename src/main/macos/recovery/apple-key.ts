// The key Apple signs recovery chunklists with (signature method 1).
//   OC-PY   acidanthera/OpenCorePkg Utilities/macrecovery/macrecovery.py (Apple_EFI_ROM_public_key_1)
//   OC-KEYS acidanthera/OpenCorePkg Library/OcAppleKeysLib/OcAppleKeysLib.c (same modulus, little-endian)

/**
 * Apple's EFI ROM RSA-2048 public key, which signs recovery chunklists (signature method 1).
 * From OC-PY's Apple_EFI_ROM_public_key_1 (exponent 0x10001 in its verify_chunklist), checked
 * byte for byte against mPkDb1's N in OC-KEYS (stored little-endian there).
 */
export const APPLE_EFI_ROM_PUBLIC_KEY: { readonly modulusHex: string; readonly exponent: number } = {
  modulusHex:
    'C3E748CAD9CD384329E10E25A91E43E1A762FF529ADE578C935BDDF9B13F2179' +
    'D4855E6FC89E9E29CA12517D17DFA1EDCE0BEBF0EA7B461FFE61D94E2BDF72C1' +
    '96F89ACD3536B644064014DAE25A15DB6BB0852ECBD120916318D1CCDEA3C84C' +
    '92ED743FC176D0BACA920D3FCF3158AFF731F88CE0623182A8ED67E650515F75' +
    '745909F07D415F55FC15A35654D118C55A462D37A3ACDA08612F3F3F6571761E' +
    'FCCBCC299AEE99B3A4FD6212CCFFF5EF37A2C334E871191F7E1C31960E010A54' +
    'E86FA3F62E6D6905E1CD57732410A3EB0C6B4DEFDABE9F59BF1618758C751CD5' +
    '6CEF851D1C0EAA1C558E37AC108DA9089863D20E2E7E4BF475EC66FE6B3EFDCF',
  exponent: 65537,
};
