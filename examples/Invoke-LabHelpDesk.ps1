<#
.SYNOPSIS
    Example help-desk calls: two lab users who cannot sign in, for two different reasons, each
    diagnosed with one Test-RoRemoteAccess.
.DESCRIPTION
    On the lab's real ocserv, creates two users: one whose account an administrator disabled, and
    one who is fine on the appliance but types the wrong password. It then diagnoses both as the
    help desk would: the first without a password, the second with the (wrong) password the
    caller gives, which Test-RoRemoteAccess tries in a real sign-in with the openconnect client.
    Each verdict names its cause and the next step; the users are removed at the end. The exit
    code is 0 only when both verdicts name the expected cause, and the CSV runbook
    (Test-CalledInUsers.ps1) agrees.

    build.ps1 Demo runs it against the ocserv of its lab (lab/ocserv.sh).
.EXAMPLE
    dotnet pwsh ./examples/Invoke-LabHelpDesk.ps1 -ModulePath out/RemoteOps/0.1.0/RemoteOps.psd1 `
        -InventoryPath out/demo-lab/inventory.json -OcservPath out/demo-lab/ocserv.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # The lab inventory (lab/lab.sh): the SSH account and key that manage the ocserv host.
    [Parameter(Mandatory)] [string] $InventoryPath,
    # The ocserv description written by lab/ocserv.sh up (address, certificate pin).
    [Parameter(Mandatory)] [string] $OcservPath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath

$inventory = Get-Content -Raw $InventoryPath | ConvertFrom-Json
$ocserv = Get-Content -Raw $OcservPath | ConvertFrom-Json
$work = Join-Path ([IO.Path]::GetTempPath()) "remoteops-demo-helpdesk-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$audit = Join-Path $work 'audit.jsonl'
$vpn = Connect-RoAppliance -Driver Ocserv -Address $ocserv.address -UserName $inventory.user `
    -KeyFilePath $inventory.keys.ed25519 -KnownHostsPath $inventory.knownHosts
$users = 'hd-dana', 'hd-omar'
$ok = $true
try {
    $right = ConvertTo-SecureString "Right-$([guid]::NewGuid().ToString('N').Substring(0, 12))" -AsPlainText -Force
    foreach ($user in $users) {
        New-RoVpnUser -Connection $vpn -UserName $user -Group staff -Password $right -AuditLogPath $audit | Out-Null
    }
    Set-RoVpnUser -Connection $vpn -UserName hd-dana -Enabled:$false -AuditLogPath $audit | Out-Null
    Write-Host "  Two callers: hd-dana (an administrator disabled her account) and hd-omar (types an old password)."
    Write-Host "  The gateway's certificate is pinned ($($ocserv.serverCertificateSha256Pin)); nothing is trusted blindly."

    $common = @{ Connection = $vpn; GatewayPublicKeyPin = $ocserv.serverCertificateSha256Pin }
    Write-Host ''
    Write-Host '  PS> Test-RoRemoteAccess hd-dana'
    $dana = Test-RoRemoteAccess hd-dana @common
    $dana | Out-String -Width 110 | Write-Host
    $oldPassword = [pscredential]::new('hd-omar', (ConvertTo-SecureString 'Old-Password-2025' -AsPlainText -Force))
    Write-Host '  PS> Test-RoRemoteAccess hd-omar -Credential $callersPassword   # a real sign-in with openconnect'
    $omar = Test-RoRemoteAccess hd-omar -Credential $oldPassword @common
    $omar | Out-String -Width 110 | Write-Host

    $csv = Join-Path $work 'called-in.csv'
    Set-Content -LiteralPath (Join-Path $work 'called-in.txt') -Value $users
    & (Join-Path $PSScriptRoot 'Test-CalledInUsers.ps1') -InputPath (Join-Path $work 'called-in.txt') -OutputPath $csv @common | Out-Null
    $rows = @(Import-Csv -LiteralPath $csv)
    Write-Host "  The runbook examples/Test-CalledInUsers.ps1 wrote $csv for the team:"
    $rows | Format-Table UserName, Cause, NextStep -Wrap | Out-String -Width 110 | Write-Host

    foreach ($check in @(@($dana, 'AccountDisabled'), @($omar, 'WrongPassword'))) {
        if ($check[0].Cause -ne $check[1]) {
            Write-Host "  UNEXPECTED: $($check[0].UserName) is $($check[0].Cause), not $($check[1])"
            $ok = $false
        }
    }
    if (($rows | Where-Object UserName -eq 'hd-dana').Cause -ne 'AccountDisabled') { $ok = $false }
    Write-Host '  Notice: one command per caller, the cause in plain words, the exact next step, and no'
    Write-Host '  password anywhere in the output (the sign-in got it on standard input).'
}
finally {
    foreach ($user in $users) { Remove-RoVpnUser -Connection $vpn -UserName $user -Confirm:$false -AuditLogPath $audit -ErrorAction SilentlyContinue | Out-Null }
    Disconnect-RoAppliance -Connection $vpn
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
if (-not $ok) { exit 1 }
