<#
.SYNOPSIS
    Example: apply a firewall policy to an nftables firewall, prove it with real connections, and
    show that a second run changes nothing.
.DESCRIPTION
    One lab host becomes a routing firewall between a client and a server network (lab/firewall.sh).
    The script:
      a) shows that the client reaches the server on TCP 443 and 8080 before any policy;
      b) shows the plan (-WhatIf) of a policy that lets HTTPS from the clients through and drops 8080;
      c) applies it (one nft transaction, read back) and connects again: 443 opens, 8080 times out;
      d) runs the same command again: NoChange, nothing sent.
    The firewall networks are taken down at the end, also on failure. Runs unattended; the exit
    code says whether every check held.

    build.ps1 Demo runs it against its lab; it needs root (network namespaces).
.EXAMPLE
    dotnet pwsh ./examples/Invoke-LabFirewall.ps1 -ModulePath out/RemoteOps/0.1.0/RemoteOps.psd1 -InventoryPath out/demo-lab/inventory.json -LabName rodemo -FirewallHost 20
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $InventoryPath,
    [Parameter(Mandatory)] [string] $LabName,
    [Parameter(Mandatory)] [ValidateRange(1, 254)] [int] $FirewallHost
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$inventory = Get-Content -Raw $InventoryPath | ConvertFrom-Json
$firewallScript = Join-Path $PSScriptRoot '../lab/firewall.sh'
$work = Join-Path ([IO.Path]::GetTempPath()) "remoteops-demo-firewall-$PID"
New-Item -ItemType Directory -Force $work | Out-Null
$auditLog = Join-Path $work 'audit.jsonl'

# A TCP connection from the client network to the server: open, refused or timeout (a drop).
function Test-Port([int] $Port) { "$(& bash $firewallScript probe --name $LabName --port $Port --timeout 3 2>&1)".Trim() }

function Assert-Port([int] $Port, [string] $Expected) {
    $seen = Test-Port $Port
    Write-Host ("     client -> server TCP {0,-5} {1}" -f $Port, $seen)
    if ($seen -ne $Expected) { throw "TCP $Port from the client was '$seen', expected '$Expected'." }
}

# The policy a sysadmin keeps in version control (here inline): HTTPS from the clients to the
# server, nothing on 8080.
$policy = @(
    @{ Name = 'web-in'; Action = 'Accept'; Chain = 'Forward'; Source = @('clients'); Destination = @('198.19.241.2'); Protocol = 'Tcp'; Ports = @('443'); Comment = 'HTTPS to the server' }
    @{ Name = 'block-8080'; Action = 'Drop'; Chain = 'Forward'; Destination = @('198.19.241.0/24'); Protocol = 'Tcp'; Ports = @('8080'); Comment = 'old admin port' }
)
$objects = @{ clients = @('198.19.240.0/24') }

$firewall = $null
try {
    $output = & bash $firewallScript up --name $LabName --host $FirewallHost 2>&1
    if ($LASTEXITCODE -ne 0) { throw "The firewall networks did not come up: $($output -join "`n")" }
    $address = $inventory.hosts[$FirewallHost - 1].address
    $firewall = Connect-RoAppliance -Driver Nftables -Address $address -UserName $inventory.user -KeyFilePath $inventory.keys.ed25519 -KnownHostsPath $inventory.knownHosts -NotDefault

    Write-Host "  a) Before any policy, through the firewall $address"
    Assert-Port 443 'open'
    Assert-Port 8080 'open'

    Write-Host '  b) The plan (-WhatIf prints it; nothing is sent)'
    $plan = Set-RoFirewallPolicy -Connection $firewall -Rule $policy -AddressObject $objects -WhatIf -AuditLogPath $auditLog
    if ($plan.Outcome -ne 'Planned' -or $plan.Added -ne 2) { throw "The plan was '$($plan.Outcome)' with $($plan.Added) to add, expected Planned with 2." }
    Assert-Port 8080 'open'

    Write-Host '  c) Applied in one nft transaction and read back'
    $applied = Set-RoFirewallPolicy -Connection $firewall -Rule $policy -AddressObject $objects -Confirm:$false -AuditLogPath $auditLog
    Write-Host "     $($applied.Outcome): $($applied.Added) added"
    if ($applied.Outcome -ne 'Updated') { throw "The first run was '$($applied.Outcome)', expected Updated." }
    Assert-Port 443 'open'
    Assert-Port 8080 'timeout'

    Write-Host '  d) The same command again'
    $again = Set-RoFirewallPolicy -Connection $firewall -Rule $policy -AddressObject $objects -Confirm:$false -AuditLogPath $auditLog
    Write-Host "     $($again.Outcome): $($again.Unchanged) unchanged"
    if ($again.Outcome -ne 'NoChange') { throw "The second run was '$($again.Outcome)', expected NoChange." }
    Write-Host "     The audit log holds $(@(Get-RoAuditLog -Path $auditLog).Count) records of the change."
}
finally {
    if ($firewall) { Disconnect-RoAppliance -Connection $firewall }
    & bash $firewallScript down --name $LabName --host $FirewallHost 2>&1 | Out-Null
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
