<#
.SYNOPSIS
    Benchmark (not a test): plan and apply a policy of N rules (default 2,000) on the Forcepoint
    SMC emulator with Set-RoFirewallPolicy.
.DESCRIPTION
    Starts the lab emulator of the SMC REST API on loopback (optionally with a latency per
    request), connects with the ForcepointSmc driver, and times:
      1. the plan of N new rules on a policy that has none of RemoteOps's (-WhatIf);
      2. the first apply: N rules and their elements written, the policy uploaded, read back;
      3. the plan of the same N rules again (every rule read back and compared: NoChange);
      4. an apply that changes ChangeCount rules and moves one.
    The plan figures are what -WhatIf costs: reading the owned rules and their elements, and the
    planner. The emulator is stopped at the end, also on failure.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(10, 20000)] [int] $RuleCount = 2000,
    [ValidateRange(1, 1000)] [int] $ChangeCount = 10,
    [ValidateRange(0, 1000)] [int] $LatencyMs = 0
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$repo = Split-Path $PSScriptRoot
$env:REMOTEOPS_REPO_ROOT = $repo
Import-Module $ModulePath
Import-Module (Join-Path $repo 'tests/pester/EmulatorFixture.psm1')
$emulator = Start-ApplianceEmulator -Kind smc
try {
    if ($LatencyMs -gt 0) { Invoke-EmulatorControl -Emulator $emulator -Method POST -Path '/_lab/faults' -Body @{ latencyMs = $LatencyMs } | Out-Null }
    $key = [pscredential]::new('api', (ConvertTo-SecureString $emulator.apiToken -AsPlainText -Force))
    $options = @{ ApiVersion = '7.1'; PolicyName = $emulator.policy; EngineName = $emulator.engine }
    $smc = Connect-RoAppliance -Driver ForcepointSmc -Address $emulator.baseUrl -Credential $key -PublicKeyPin $emulator.spkiSha256 -Option $options -NotDefault
    $audit = Join-Path $emulator.StateDirectory 'audit.jsonl'

    # Rule i: a source host or network of its own, a shared destination network, one of 50 TCP ports.
    function New-Rules([int] $Offset) {
        for ($i = 1; $i -le $RuleCount; $i++) {
            $source = if ($i % 2) { '10.{0}.{1}.0/24' -f [math]::Floor($i / 256), ($i % 256) } else { '172.16.{0}.{1}' -f [math]::Floor($i / 256), ($i % 256) }
            @{ Name = 'bench-{0:d5}' -f $i; Action = 'Accept'; Source = @($source); Destination = @('192.0.2.0/24'); Protocol = 'Tcp'; Ports = @([string](8000 + (($i + $Offset) % 50))) }
        }
    }
    $rules = @(New-Rules 0)

    $time = { param($block) $clock = [Diagnostics.Stopwatch]::StartNew(); $result = & $block; $clock.Stop(); [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Result = $result } }
    $planEmpty = & $time { Set-RoFirewallPolicy -Connection $smc -Rule $rules -WhatIf -AuditLogPath $audit 6>$null }
    $apply = & $time { Set-RoFirewallPolicy -Connection $smc -Rule $rules -Confirm:$false -AuditLogPath $audit }
    $planFull = & $time { Set-RoFirewallPolicy -Connection $smc -Rule $rules -WhatIf -AuditLogPath $audit 6>$null }
    $changed = $rules.Clone()
    for ($i = 0; $i -lt $ChangeCount; $i++) { $changed[$i * 7] = $changed[$i * 7].Clone(); $changed[$i * 7].Ports = @('9443') }
    $last = $changed[-1]; $changed = @($last) + $changed[0..($changed.Count - 2)]
    $change = & $time { Set-RoFirewallPolicy -Connection $smc -Rule $changed -Confirm:$false -AuditLogPath $audit }
    $stats = Invoke-EmulatorControl -Emulator $emulator -Method GET -Path '/_lab/stats'
    Disconnect-RoAppliance -Connection $smc

    [pscustomobject]@{
        Rules                   = $RuleCount
        LatencyMsPerRequest     = $LatencyMs
        PlanOnEmptySeconds      = [math]::Round($planEmpty.Seconds, 2)
        FirstApplySeconds       = [math]::Round($apply.Seconds, 2)
        FirstApplyOutcome       = "$($apply.Result.Outcome), $($apply.Result.Added) added"
        PlanOfAppliedSeconds    = [math]::Round($planFull.Seconds, 2)
        PlanOfAppliedOutcome    = "$($planFull.Result.Outcome), $($planFull.Result.Unchanged) unchanged"
        ChangeApplySeconds      = [math]::Round($change.Seconds, 2)
        ChangeOutcome           = "$($change.Result.Outcome), $($change.Result.Changed) changed, $($change.Result.Moved) moved"
        RequestsTotal           = $stats.requestsTotal
        Uploads                 = $stats.state.uploads
    }
}
finally {
    Stop-ApplianceEmulator -Emulator $emulator
}
