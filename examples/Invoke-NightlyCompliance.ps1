<#
.SYNOPSIS
    Nightly compliance run for the whole laptop fleet: check every laptop against the baseline,
    optionally repair what can be repaired, and keep the results as CSV.
.DESCRIPTION
    Meant for a scheduled job or an Azure Automation runbook (Hybrid Runbook Worker on the
    management network): nothing prompts, objects come out, the exit code says whether the
    fleet is compliant. Laptops that are off or away from the network tonight come back as
    Error rows with Status Unreachable and are written to the report like the others, so
    tomorrow's report shows who was not checked.

    Writes, in -OutputFolder:
      compliance-<date>.html  the report of Export-RoComplianceReport (fleet summary, per check, per laptop)
      compliance-<date>.csv   one row per laptop and check, written by Export-RoComplianceReport
      repairs-<date>.csv      with -Repair: one row per laptop and check (Repair-RoLaptopCompliance)
      summary-<date>.csv      one row per laptop: compliant, failed checks, not checked
.EXAMPLE
    ./examples/Invoke-NightlyCompliance.ps1 -InventoryPath ./laptops.csv -BaselinePath ./examples/laptop-baseline.psd1 `
        -UserName ops -KeyFilePath ~/.ssh/id_ed25519 -OutputFolder /var/lib/remoteops/reports -Repair
.EXAMPLE
    # Against a lab (lab/lab.sh up ...; lab/laptops.sh plant ...):
    ./examples/Invoke-NightlyCompliance.ps1 -InventoryPath /tmp/lab/hosts.csv -BaselinePath tests/pester/laptop-baseline.lab.json `
        -UserName rolab -KeyFilePath /tmp/lab/keys/id_ed25519 -KnownHostsPath /tmp/lab/known_hosts -OutputFolder ./out/reports
#>
[CmdletBinding()]
param(
    # A CSV with a ComputerName column (Port and UserName columns bind per row too).
    [Parameter(Mandatory)] [string] $InventoryPath,
    [Parameter(Mandatory)] [string] $BaselinePath,
    [Parameter(Mandatory)] [string] $UserName,
    [Parameter(Mandatory)] [string[]] $KeyFilePath,
    [Parameter(Mandatory)] [string] $OutputFolder,
    [string] $KnownHostsPath,
    [string] $AuditLogPath,
    [string] $ModulePath = 'RemoteOps',
    [int] $ThrottleLimit = 64,
    # Repair what can be repaired after the check (the repair checks each laptop again).
    [switch] $Repair
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
New-Item -ItemType Directory -Force $OutputFolder | Out-Null
$stamp = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd')

$ssh = @{
    UserName      = $UserName
    KeyFilePath   = $KeyFilePath
    ThrottleLimit = $ThrottleLimit
    Baseline      = $BaselinePath
    ErrorAction   = 'SilentlyContinue'   # failures are on the result objects; the report keeps them
}
if ($KnownHostsPath) { $ssh.KnownHostsPath = $KnownHostsPath }
if ($AuditLogPath) { $ssh.AuditLogPath = $AuditLogPath }

$inventory = @(Import-Csv $InventoryPath)

$results = @($inventory | Test-RoLaptopCompliance @ssh)
if ($Repair) {
    $repairs = @($inventory | Repair-RoLaptopCompliance @ssh -Confirm:$false)
    $repairs | Select-Object ComputerName, Check, Outcome, ComplianceBefore, Compliance, Step, Status, Evidence, Message, Remedy |
        Export-Csv (Join-Path $OutputFolder "repairs-$stamp.csv") -NoTypeInformation
    # The state after the repair is what the report shows: each repaired laptop was checked again.
    $after = @{}
    foreach ($r in $repairs) { $after["$($r.ComputerName)|$($r.Check)"] = $r }
    $results = $results | ForEach-Object {
        $now = $after["$($_.ComputerName)|$($_.Check)"]
        if ($now -and $now.Outcome -eq 'Repaired') { $_.Compliance = $now.Compliance; $_.Evidence = $now.Evidence; $_.CanRepair = $false }
        $_
    }
}

# The HTML report for people and, beside it, compliance-<date>.csv with one row per laptop and check.
$results | Export-RoComplianceReport -Path (Join-Path $OutputFolder "compliance-$stamp.html") -Title "Laptop compliance $stamp"

$summary = $results | Group-Object ComputerName | ForEach-Object {
    [pscustomobject]@{
        ComputerName = $_.Name
        Compliant    = @($_.Group | Where-Object Compliance -in 'NonCompliant', 'Error').Count -eq 0
        Failed       = (@($_.Group | Where-Object Compliance -eq NonCompliant).Check -join ' ')
        NotChecked   = @($_.Group | Where-Object Compliance -eq Error).Count -gt 0
        Status       = ($_.Group[0].Status)
    }
} | Sort-Object ComputerName
$summary | Export-Csv (Join-Path $OutputFolder "summary-$stamp.csv") -NoTypeInformation

$counts = [pscustomobject]@{
    Laptops    = @($summary).Count
    Compliant  = @($summary | Where-Object Compliant).Count
    Failing    = @($summary | Where-Object { -not $_.Compliant -and -not $_.NotChecked }).Count
    NotChecked = @($summary | Where-Object NotChecked).Count
}
$counts
if ($counts.Compliant -ne $counts.Laptops) { exit 1 }
