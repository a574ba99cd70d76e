// The Windows part of the guest tools disk: one PowerShell script, run as administrator, that
// installs the virtio-win guest tools (drivers, qemu-ga, the VirtIO-FS service) from the
// virtio-win disc — found by its installer's name or its volume label, whichever drive it is
// in —, WinFsp (which the VirtIO-FS service needs to show the folder as a drive letter), and
// starts the VirtIO-FS service. Single-quoted PowerShell strings only: nothing is expanded.
import type { ToolsShare } from './shares';

/** PowerShell's single-quoted string: a quote is doubled, nothing else is special. */
export function psQuote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export function setupScript(guest: string, shares: ToolsShare[]): string {
  const virtiofs = shares.some((s) => s.method === 'virtiofs');
  const smb = shares.some((s) => s.method === 'smb');
  const lines = [
    `# Guestbay guest tools for ${psQuote(guest)} (Windows). Run in an administrator PowerShell:`,
    '#   powershell -ExecutionPolicy Bypass -File E:\\windows\\setup.ps1',
    '# Needs the virtio-win disc in a drive (Guestbay inserts it with Windows guests, or use your own).',
    '$ErrorActionPreference = \'Stop\'',
    '',
    '# The virtio-win disc: the drive holding its installer, else the volume labelled virtio-win*.',
    '$disc = Get-PSDrive -PSProvider FileSystem | Where-Object { Test-Path (Join-Path $_.Root \'virtio-win-guest-tools.exe\') } | Select-Object -First 1',
    'if (-not $disc) {',
    '  $vol = Get-Volume | Where-Object { $_.FileSystemLabel -like \'virtio-win*\' -and $_.DriveLetter } | Select-Object -First 1',
    '  if ($vol) { $disc = Get-PSDrive -Name $vol.DriveLetter }',
    '}',
    'if (-not $disc) {',
    '  Write-Error \'The virtio-win disc is not in any drive: insert it from the guest page in Guestbay (Media), then run this again.\'',
    '  exit 1',
    '}',
    '$tools = Join-Path $disc.Root \'virtio-win-guest-tools.exe\'',
    'if (Test-Path $tools) {',
    '  Write-Host "Installing the virtio-win guest tools from $tools (drivers, qemu-ga, VirtIO-FS service)"',
    '  Start-Process -Wait -FilePath $tools -ArgumentList \'/install\', \'/passive\', \'/norestart\'',
    '} else {',
    '  # An older disc without the bundle: the agent alone, from its MSI.',
    '  $msi = Join-Path $disc.Root \'guest-agent\\qemu-ga-x86_64.msi\'',
    '  Start-Process -Wait -FilePath msiexec.exe -ArgumentList \'/i\', $msi, \'/qn\', \'/norestart\'',
    '}',
    '',
    '# qemu-ga: started now, and at every boot (the installer registers it).',
    'Get-Service -Name QEMU-GA -ErrorAction SilentlyContinue | ForEach-Object { Set-Service $_.Name -StartupType Automatic; Start-Service $_.Name }',
  ];
  if (virtiofs) {
    lines.push(
      '',
      '# VirtIO-FS shows the shared folder as a drive letter through WinFsp.',
      '$winfsp = Test-Path (Join-Path ${env:ProgramFiles(x86)} \'WinFsp\\bin\\winfsp-x64.dll\')',
      'if (-not $winfsp) {',
      '  if (Get-Command winget -ErrorAction SilentlyContinue) {',
      '    winget install --id WinFsp.WinFsp --exact --accept-package-agreements --accept-source-agreements',
      '  } else {',
      '    Write-Error \'WinFsp is needed for the shared folder: install it from https://winfsp.dev/rel/ and run this again.\'',
      '    exit 1',
      '  }',
      '}',
      'Set-Service VirtioFsSvc -StartupType Automatic',
      'Start-Service VirtioFsSvc',
      'Write-Host \'The shared folder is now a drive (Z: unless taken) in This PC.\'',
    );
  }
  if (smb) {
    lines.push('', '# The SMB share QEMU serves, as drive G:, kept across logins.', 'net use G: \\\\10.0.2.4\\qemu /persistent:yes');
  }
  lines.push('Write-Host \'Guestbay guest tools: done.\'', '');
  return lines.join('\r\n');
}
