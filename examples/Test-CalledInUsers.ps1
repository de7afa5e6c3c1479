<#
.SYNOPSIS
    Runbook: diagnoses every user who called the help desk and writes a CSV the team can open.
.DESCRIPTION
    Reads the user names (a text file with one name per line, or a CSV with a UserName column),
    runs Test-RoRemoteAccess for each against the open appliance connections (or -Connection),
    and writes one row per user: when, who, the cause, the summary, the next step and every
    check that did not pass. Nothing is changed on any appliance.

    A name that is not a valid user name gets a row with Cause InvalidUserName instead of
    stopping the others. The script never prompts, so it runs unattended (Azure Automation,
    scheduled tasks); connect to the appliances first, for example in the same runbook.
.EXAMPLE
    Connect-RoAppliance -Driver Ocserv -Address vpn-gw-01.corp.example -UserName ops -KeyFilePath ~/.ssh/id_ed25519 | Out-Null
    ./examples/Test-CalledInUsers.ps1 -InputPath ./called-in.txt -OutputPath ./called-in.csv
#>
[CmdletBinding()]
param(
    # One user name per line, or a CSV file with a UserName column.
    [Parameter(Mandatory)] [string] $InputPath,
    # The CSV to write (overwritten).
    [Parameter(Mandatory)] [string] $OutputPath,
    # The connections to check; by default every open one of this session.
    $Connection,
    # For gateways whose certificate this machine does not trust (a lab, a private CA).
    [string] $GatewayPublicKeyPin
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if (-not (Get-Command Test-RoRemoteAccess -ErrorAction SilentlyContinue)) { Import-Module RemoteOps }

$names = if ($InputPath -like '*.csv') {
    @(Import-Csv -LiteralPath $InputPath | ForEach-Object UserName)
}
else {
    @(Get-Content -LiteralPath $InputPath | ForEach-Object Trim | Where-Object { $_ -and -not $_.StartsWith('#') })
}

$options = @{}
if ($Connection) { $options.Connection = $Connection }
if ($GatewayPublicKeyPin) { $options.GatewayPublicKeyPin = $GatewayPublicKeyPin }

$rows = foreach ($name in $names) {
    $checkedAt = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm:ss') + 'Z'
    $failures = $null
    $verdict = Test-RoRemoteAccess -UserName $name @options -ErrorAction SilentlyContinue -ErrorVariable failures
    if (-not $verdict) {
        [pscustomobject]@{
            CheckedAt = $checkedAt; UserName = $name; Cause = 'InvalidUserName'; CanSignIn = $false
            Summary = ($failures | Select-Object -First 1).Exception.Message; NextStep = 'Check the name the caller gave.'; NotPassed = ''
        }
        continue
    }

    [pscustomobject]@{
        CheckedAt = $checkedAt
        UserName  = $verdict.UserName
        Cause     = $verdict.Cause
        CanSignIn = $verdict.CanSignIn
        Summary   = $verdict.Summary
        NextStep  = $verdict.NextStep
        NotPassed = ($verdict.Checks | Where-Object Status -ne 'Passed' | ForEach-Object { "$($_.Check) $($_.Target): $($_.Status)" }) -join '; '
    }
}

$rows | Export-Csv -LiteralPath $OutputPath -NoTypeInformation -Encoding utf8
$rows | Group-Object Cause -NoElement | Sort-Object Count -Descending | Format-Table Count, Name -AutoSize | Out-String | Write-Host
Write-Host "Wrote $(@($rows).Count) rows to $OutputPath"
