<#
.SYNOPSIS
    The recap of failed tests that the test command prints above its totals.
.DESCRIPTION
    A CI log may keep only its end; the suites' own output names a failure far above it. Each
    failed test gets one line: its name and its reason, on one line and cut at 800 characters, at
    most 25 tests per suite.
#>
Set-StrictMode -Version Latest

function Write-FailureRecap {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Suite,
        # Objects with Name and Message.
        [AllowEmptyCollection()] [object[]] $Failure = @()
    )
    if ($Failure.Count -eq 0) { return }
    Write-Host "$Suite failures ($($Failure.Count)):"
    foreach ($one in $Failure | Select-Object -First 25) {
        $message = "$($one.Message)".Trim() -replace '\s+', ' '
        if ($message.Length -gt 800) { $message = $message.Substring(0, 800) + ' ...' }
        Write-Host "  - $($one.Name): $message"
    }
    if ($Failure.Count -gt 25) { Write-Host "  ... and $($Failure.Count - 25) more" }
}

Export-ModuleMember -Function Write-FailureRecap
