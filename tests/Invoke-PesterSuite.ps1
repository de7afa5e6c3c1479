<#
.SYNOPSIS
    Runs the Pester suite in this (fresh) process against the built module and writes a summary.
.DESCRIPTION
    build.ps1 starts this script in a new 'pwsh -NoProfile' so that the module is imported the
    way users import it, into a session that has nothing of the build loaded.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $Tag
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:REMOTEOPS_MODULE_PATH = (Resolve-Path $ModulePath).Path
$env:REMOTEOPS_REPO_ROOT = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path

$configuration = New-PesterConfiguration
$configuration.Run.Path = Join-Path $PSScriptRoot 'pester'
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Should.ErrorAction = 'Continue'
if ($Tag) { $configuration.Filter.Tag = $Tag -split ',' }

$result = Invoke-Pester -Configuration $configuration

# A recap of what failed, and why, after the long detailed output: a CI log that keeps only its
# tail still shows the reason of every failure.
function Get-ErrorText($errors) { ($errors | ForEach-Object { "$_" }) -join ' | ' }
$failures = @(
    # A test failed by its block's BeforeAll has no error of its own; the block's line says why.
    $result.Failed | Where-Object { $_.ErrorRecord.Count -gt 0 } | ForEach-Object { [pscustomobject]@{ Name = $_.ExpandedPath; Message = Get-ErrorText $_.ErrorRecord } }
    $result.FailedBlocks | ForEach-Object { [pscustomobject]@{ Name = "$($_.Path -join '.') (BeforeAll/AfterAll)"; Message = Get-ErrorText $_.ErrorRecord } }
    $result.FailedContainers | ForEach-Object { [pscustomobject]@{ Name = "$($_.Item) (file)"; Message = Get-ErrorText $_.ErrorRecord } }
)
Import-Module (Join-Path $PSScriptRoot 'support/FailureRecap.psm1') -Force
Write-FailureRecap -Suite Pester -Failure $failures
$summary = [ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
}
New-Item -ItemType Directory -Force (Split-Path $SummaryPath) | Out-Null
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8NoBOM
