<#
.SYNOPSIS
    Example rollout: push a VPN client profile to every host of an inventory and activate it.
.DESCRIPTION
    What a sysadmin would script when staff move to remote working: check each host's key
    against the inventory's recorded fingerprints, copy a profile to every host in parallel,
    install it with sudo only where it differs (so a second run reports no change), and
    print the first rows of each table and a summary. Runs unattended: nothing prompts, objects come out, and the
    exit code says whether every host succeeded.

    build.ps1 Demo runs it against a freshly started lab; point -InventoryPath at any file
    of the same shape (see lab/README.md) to run it elsewhere.
.EXAMPLE
    dotnet pwsh ./examples/Invoke-LabRollout.ps1 -ModulePath out/RemoteOps/0.1.0/RemoteOps.psd1 -InventoryPath out/demo-lab/inventory.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $InventoryPath,
    [int] $ThrottleLimit = 32
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$inventory = Get-Content -Raw $InventoryPath | ConvertFrom-Json
# Not $inventory.hosts.address: 'Address' is also a method of every .NET array.
$addresses = @($inventory.hosts | ForEach-Object address)
$work = Join-Path ([IO.Path]::GetTempPath()) "remoteops-demo-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$auditLog = Join-Path $work 'audit.jsonl'

# Connection settings shared by every step; secrets stay in SecureString / key files.
$connection = @{
    UserName       = $inventory.user
    KeyFilePath    = $inventory.keys.ed25519
    KnownHostsPath = $inventory.knownHosts
    ThrottleLimit  = $ThrottleLimit
}

# A long table is hard to read in a console: the first rows, then how many more.
function Write-Table {
    param([object[]] $Item, [int] $First = 3)
    $shown = $Item | Select-Object -First $First | Format-Table -AutoSize | Out-String -Width 200
    Write-Host $shown.TrimEnd()
    if ($Item.Count -gt $First) { Write-Host "  ... and $($Item.Count - $First) more hosts" }
    Write-Host ''
}

function Write-Outcome {
    param([string] $Label, [object[]] $Result)
    $counts = ($Result | Group-Object Status | Sort-Object Name | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
    Write-Host "  $Label`: $counts"
}

Write-Host "  a) Check the host keys of $($inventory.hosts.Count) hosts against the fingerprints in the inventory"
$keys = @(Get-RoSshHostKey -ComputerName $addresses -KnownHostsPath $inventory.knownHosts)
$unexpected = @($keys | Where-Object { $_.Fingerprint -ne ($inventory.hosts | Where-Object address -eq $_.ComputerName).fingerprint })
if ($unexpected) { throw "Host keys differ from the inventory: $($unexpected.ComputerName -join ', ')" }
Write-Table $keys

Write-Host '  b) Copy a VPN client profile to every host, in parallel (Send-RoFile)'
$profilePath = Join-Path $work 'remote-work.conf'
@"
# Managed by RemoteOps: remote-working VPN profile
protocol=anyconnect
gateway=vpn.example.invalid
servercert=pin-sha256:demo-only
"@ | Set-Content -Path $profilePath -Encoding utf8NoBOM
$sent = @(Send-RoFile -ComputerName $addresses @connection -Path $profilePath -Destination '/tmp/remote-work.conf' -AuditLogPath $auditLog)
Write-Table $sent

Write-Host '  c) Install it with sudo where it differs (Invoke-RoSshCommand), then run the same command again'
$install = 'if cmp -s /tmp/remote-work.conf /etc/remote-work.conf; then echo unchanged; else install -m 0644 /tmp/remote-work.conf /etc/remote-work.conf && echo installed; fi'
$first = @(Invoke-RoSshCommand -ComputerName $addresses @connection -Sudo -Command $install -AuditLogPath $auditLog)
Write-Table $first
$second = @(Invoke-RoSshCommand -ComputerName $addresses @connection -Sudo -Command $install -AuditLogPath $auditLog)

$summary = [pscustomobject]@{
    Hosts            = $inventory.hosts.Count
    Installed        = @($first | Where-Object { $_.Output.Trim() -eq 'installed' }).Count
    UnchangedOnRerun = @($second | Where-Object { $_.Output.Trim() -eq 'unchanged' }).Count
    Failed           = @($first + $second + $sent | Where-Object Status -ne 'Succeeded').Count
    AuditLines       = @(Get-RoAuditLog -Path $auditLog).Count
    WallSeconds      = [math]::Round(((Get-Date) - (Get-Process -Id $PID).StartTime).TotalSeconds, 1)
}
Write-Host '  d) Summary'
Write-Outcome 'Copy   ' $sent
Write-Outcome 'Install' $first
Write-Outcome 'Re-run ' $second
$summary | Format-List | Out-String -Width 200 | ForEach-Object Trim | Write-Host
Write-Host ''
Write-Host '  What to notice:'
Write-Host '  - One typed result per host, written as soon as that host is done; a failing host never stops the others.'
Write-Host '  - Every host key was checked against a known fingerprint before anything was sent.'
Write-Host '  - The re-run found the profile in place on every host ("unchanged"): the rollout is safe to repeat.'
Write-Host '  - Every file sent and every command run made one line in the audit log (Get-RoAuditLog reads it back).'
Remove-Item -Recurse -Force $work
if ($summary.Failed -gt 0) { exit 1 }
