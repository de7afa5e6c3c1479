<#
.SYNOPSIS
    Example onboarding: the same staff list to two VPN appliances, then once more to show that a
    second run changes nothing.
.DESCRIPTION
    What a help desk does when staff move to remote working: create a VPN account for every row
    of a CSV file on each appliance, with a random first password per account, and run the same
    command again later (after fixing a row, or from a schedule) without touching the accounts
    that are already there.

    The appliances are a real ocserv (OpenConnect VPN server), managed over SSH, and any Ivanti
    Connect Secure reached over its REST API. The script connects to both, pipes the rows to
    New-RoVpnUser twice, prints one summary table, checks one new account with a real openconnect
    login when -OcservLab is given, and disconnects. The exit code is 0 only when the first run
    created every row and the second reported NoChange for every row.

    build.ps1 Demo runs it against an ocserv on a lab host (lab/ocserv.sh) and the Connect Secure
    emulator on loopback (lab/Emulators).
.EXAMPLE
    dotnet pwsh ./examples/Invoke-LabVpnOnboarding.ps1 -ModulePath out/RemoteOps/0.1.0/RemoteOps.psd1 `
        -CsvPath examples/staff.sample.csv -InventoryPath out/demo-lab/inventory.json `
        -OcservPath out/demo-lab/ocserv.json -ConnectSecurePath /tmp/emulator/endpoint.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # The staff list: UserName, FullName, Group (see staff.sample.csv).
    [Parameter(Mandatory)] [string] $CsvPath,
    # The lab inventory (lab/lab.sh): the SSH account and key that manage the ocserv host.
    [Parameter(Mandatory)] [string] $InventoryPath,
    # The ocserv description written by lab/ocserv.sh up.
    [Parameter(Mandatory)] [string] $OcservPath,
    # The endpoint file of the Connect Secure emulator: URL, admin account, certificate pin.
    [Parameter(Mandatory)] [string] $ConnectSecurePath,
    # Lab name and client host for the openconnect login check (lab/ocserv.sh client-auth); no check when empty.
    [string] $OcservLab,
    [int] $OcservClientHost = 2
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath

$inventory = Get-Content -Raw $InventoryPath | ConvertFrom-Json
$ocserv = Get-Content -Raw $OcservPath | ConvertFrom-Json
$ics = Get-Content -Raw $ConnectSecurePath | ConvertFrom-Json
$ocservHost = $inventory.hosts | Where-Object address -eq $ocserv.address
$staff = @(Import-Csv -LiteralPath $CsvPath)
$work = Join-Path ([IO.Path]::GetTempPath()) "remoteops-demo-vpn-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$auditLog = Join-Path $work 'audit.jsonl'

Write-Host "  Staff list: $($staff.Count) rows from $(Split-Path -Leaf $CsvPath) (UserName, FullName, Group)"
Write-Host "  Appliances: ocserv at $($ocserv.address) (over SSH, host key pinned)"
Write-Host "              Connect Secure at $($ics.baseUrl) (REST, certificate pinned)"

$appliances = [ordered]@{}
try {
    # The host key and the certificate are pinned: nothing is trusted on first use.
    $appliances['ocserv'] = Connect-RoVpnAppliance -Driver Ocserv -Address $ocserv.address -UserName $inventory.user `
        -KeyFilePath $inventory.keys.ed25519 -HostKeyFingerprint $ocservHost.fingerprint -NotDefault
    $admin = [pscredential]::new($ics.adminUser, (ConvertTo-SecureString $ics.adminPassword -AsPlainText -Force))
    $appliances['Connect Secure'] = Connect-RoVpnAppliance -Driver ConnectSecure -Address $ics.baseUrl -Credential $admin `
        -PublicKeyPin $ics.spkiSha256 -NotDefault

    # ocserv is managed over one SSH connection, and OpenSSH's sshd allows 10 sessions (channels)
    # per connection by default (MaxSessions): more users at once than that get channels refused.
    $throttle = @{ 'ocserv' = 8; 'Connect Secure' = 16 }

    $rows = [System.Collections.Generic.List[object]]::new()
    $created = @{}
    foreach ($run in 'first', 'second') {
        Write-Host "  Onboarding, $run run: Import-Csv | New-RoVpnUser -GeneratePassword, on each appliance"
        foreach ($name in $appliances.Keys) {
            $results = @(Import-Csv -LiteralPath $CsvPath |
                    New-RoVpnUser -Connection $appliances[$name] -GeneratePassword -ThrottleLimit $throttle[$name] `
                        -AuditLogPath $auditLog -Confirm:$false -ErrorAction Continue)
            if ($run -eq 'first') { $created[$name] = $results }
            $rows.Add([pscustomobject]@{
                    Appliance = $name
                    Run       = $run
                    Rows      = $staff.Count
                    Created   = @($results | Where-Object Outcome -eq 'Created').Count
                    Updated   = @($results | Where-Object Outcome -eq 'Updated').Count
                    NoChange  = @($results | Where-Object Outcome -eq 'NoChange').Count
                    Failed    = $staff.Count - @($results | Where-Object Outcome -in 'Created', 'Updated', 'NoChange').Count
                })
        }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | ForEach-Object TrimEnd | Write-Host
    Write-Host ''

    $firstUser = $created['ocserv'] | Where-Object Outcome -eq 'Created' | Select-Object -First 1
    $login = 'not checked'
    if ($OcservLab -and $firstUser) {
        # The generated password leaves its SecureString only here, on its way to openconnect's
        # standard input inside a lab host; it is never printed.
        $plain = [System.Net.NetworkCredential]::new('', $firstUser.InitialPassword).Password
        $ocservScript = Join-Path $PSScriptRoot '../lab/ocserv.sh'
        $plain | & bash $ocservScript client-auth --name $OcservLab --host $OcservClientHost --server $ocservHost.index --user $firstUser.UserName 2>&1 | Out-Null
        $login = if ($LASTEXITCODE -eq 0) { 'accepted' } else { 'REFUSED' }
        Write-Host "  openconnect (the real client, in lab host $OcservClientHost) signs in to ocserv as $($firstUser.UserName) with the generated password: $login"
    }

    $audit = @(Get-RoAuditLog -Path $auditLog)
    $auditText = Get-Content -Raw -LiteralPath $auditLog
    $leaked = @($created.Values | ForEach-Object { $_ } | Where-Object InitialPassword |
            Where-Object { $auditText.Contains([System.Net.NetworkCredential]::new('', $_.InitialPassword).Password) })
    Write-Host "  Audit log: $($audit.Count) lines, one per account created; generated passwords in it: $($leaked.Count)."
    Write-Host ''
    Write-Host '  What to notice:'
    Write-Host '  - One command onboards to either appliance; only Connect-RoVpnAppliance knows the vendor.'
    Write-Host '  - The second run reports NoChange for every row: nothing was sent to create or reset, so'
    Write-Host '    the same command is safe to schedule or to re-run after fixing a bad row.'
    Write-Host '  - Each new account got its own random password, returned as a SecureString (InitialPassword)'
    Write-Host '    for you to hand over or store in a vault; it appears in no output and no log.'

    $expected = @($rows | Where-Object {
            ($_.Run -eq 'first' -and $_.Created -eq $staff.Count) -or ($_.Run -eq 'second' -and $_.NoChange -eq $staff.Count)
        }).Count -eq $rows.Count
    $ok = $expected -and $login -ne 'REFUSED' -and $audit.Count -eq ($staff.Count * $appliances.Count) -and $leaked.Count -eq 0
}
finally {
    foreach ($connection in $appliances.Values) { Disconnect-RoVpnAppliance -Connection $connection }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
if (-not $ok) {
    Write-Host '  Expected every row Created on the first run and NoChange on the second; see above.'
    exit 1
}
