<#
.SYNOPSIS
    Benchmark (not a test): a 2,000-rule nftables policy planned and applied, and a one-rule change
    to 20 nftables firewalls at once.
.DESCRIPTION
    Brings up 20 lab hosts (lab/lab.sh; each has nftables in its own network namespace and is
    managed over SSH with the Nftables driver), then in one pwsh process:
    - plans a 2,000-rule policy against host 1 with Set-RoFirewallPolicy -WhatIf (read, validate, plan);
    - applies it (check with nft -c, load with nft -f, read back and compare);
    - runs it a second time (read, plan, nothing sent);
    - applies a 10-rule policy to all 20 hosts, then times one New-RoFirewallRule over the 20
      connections (-ThrottleLimit 20).
    The rules carry lab addresses as data only; no traffic is sent. The lab is taken down at the
    end, also on failure. Prints one line per figure.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(10, 5000)] [int] $RuleCount = 2000,
    [ValidateRange(2, 50)] [int] $FirewallCount = 20
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$repo = Split-Path $PSScriptRoot
$labScript = Join-Path $repo 'lab/lab.sh'
$labDir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-bench-fw-$PID"
$name = 'rofwb'

try {
    Write-Host "Bringing up $FirewallCount lab hosts..."
    & bash $labScript up --name $name --hosts $FirewallCount --subnet 46 --dir $labDir | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'The lab did not come up.' }
    $inventory = Get-Content -Raw (Join-Path $labDir 'inventory.json') | ConvertFrom-Json

    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$inventory = Get-Content -Raw '$labDir/inventory.json' | ConvertFrom-Json
`$audit = '$labDir/audit.jsonl'
`$connections = foreach (`$h in `$inventory.hosts) {
    Connect-RoAppliance -Driver Nftables -Address `$h.address -UserName `$inventory.user -KeyFilePath `$inventory.keys.ed25519 -KnownHostsPath `$inventory.knownHosts -NotDefault
}
`$rules = foreach (`$i in 0..($RuleCount - 1)) {
    @{ Name = "rule-`$i"; Action = 'Accept'; Source = @("198.19.`$([math]::Floor(`$i / 250)).`$(`$i % 250 + 1)"); Destination = @('198.18.46.0/24'); Protocol = 'Tcp'; Ports = @("`$(10000 + `$i)") }
}
`$one = `$connections[0]
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$plan = Set-RoFirewallPolicy -Connection `$one -Rule `$rules -WhatIf -AuditLogPath `$audit
"plan $RuleCount rules: `$([math]::Round(`$clock.Elapsed.TotalSeconds, 2)) s, `$(`$plan.Added) to add"
`$clock.Restart()
`$applied = Set-RoFirewallPolicy -Connection `$one -Rule `$rules -Confirm:`$false -AuditLogPath `$audit
"apply and verify $RuleCount rules: `$([math]::Round(`$clock.Elapsed.TotalSeconds, 2)) s, outcome `$(`$applied.Outcome)"
`$clock.Restart()
`$again = Set-RoFirewallPolicy -Connection `$one -Rule `$rules -Confirm:`$false -AuditLogPath `$audit
"second run of $RuleCount rules: `$([math]::Round(`$clock.Elapsed.TotalSeconds, 2)) s, outcome `$(`$again.Outcome)"
`$base = foreach (`$i in 1..10) { @{ Name = "base-`$i"; Action = 'Accept'; Protocol = 'Tcp'; Ports = @("`$(2000 + `$i)") } }
`$null = Set-RoFirewallPolicy -Connection `$connections -Rule `$base -Confirm:`$false -AuditLogPath `$audit -ThrottleLimit $FirewallCount
`$clock.Restart()
`$fleet = New-RoFirewallRule -Connection `$connections -Name 'open-8443' -Action Accept -Protocol Tcp -Port 8443 -Confirm:`$false -AuditLogPath `$audit -ThrottleLimit $FirewallCount
"one-rule change to $FirewallCount firewalls: `$([math]::Round(`$clock.Elapsed.TotalSeconds, 2)) s, `$(@(`$fleet | Where-Object Outcome -eq 'Updated').Count) updated"
`$connections | ForEach-Object { Disconnect-RoAppliance -Connection `$_ }
"@
    & dotnet pwsh -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "The benchmark process failed with exit code $LASTEXITCODE." }
}
finally {
    & bash $labScript down --name $name --dir $labDir | Out-Null
    Remove-Item -Recurse -Force $labDir -ErrorAction SilentlyContinue
}
