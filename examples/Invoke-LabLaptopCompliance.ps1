<#
.SYNOPSIS
    Example: the nightly laptop compliance report (Invoke-NightlyCompliance.ps1) for six lab
    laptops, four built to the baseline and two not, written as HTML and CSV.
.DESCRIPTION
    Brings up a lab of its own (lab/lab.sh: lab 'rodemolp', six hosts in 198.18.52.0/24), makes
    hosts 1-4 compliant laptops and hosts 5-6 non-compliant ones with lab/laptops.sh (a real LUKS2
    header or none, a NetworkManager VPN profile, nftables, sshd, dconf and packages in each
    laptop's own root), then runs examples/Invoke-NightlyCompliance.ps1 against them as a
    scheduled job would: Test-RoLaptopCompliance with the lab baseline, and the report of
    Export-RoComplianceReport (a self-contained HTML page and a CSV beside it) in -OutputFolder.
    It prints the fleet summary and where to open the report. The lab is taken down at the end,
    also when something fails; the report stays.

    The exit code is 0 only when the report was written and shows the four compliant and the two
    failing laptops. build.ps1 Demo runs it. Must run as root (the lab uses network namespaces).
.EXAMPLE
    dotnet pwsh ./examples/Invoke-LabLaptopCompliance.ps1 -ModulePath out/RemoteOps/0.1.0/RemoteOps.psd1 -OutputFolder out/demo-reports
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # Where the report is written (created when missing); it is kept after the lab is gone.
    [Parameter(Mandatory)] [string] $OutputFolder
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$ModulePath = (Resolve-Path $ModulePath).Path
$OutputFolder = [IO.Path]::GetFullPath($OutputFolder)
$repo = Split-Path $PSScriptRoot
$labScript = Join-Path $repo 'lab/lab.sh'
$laptopScript = Join-Path $repo 'lab/laptops.sh'
$labName = 'rodemolp'
$subnet = 52
$mgmt = "198.18.$subnet.0/24"
$labDir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-demo-laptops-$PID"
$ok = $false
try {
    Write-Host "  Six lab laptops in $($mgmt): 1-4 built to the baseline, 5-6 not (no LUKS header, an old VPN"
    Write-Host '  gateway without the pinned certificate, no firewall, passwords over SSH, a forbidden package...).'
    & bash $labScript up --name $labName --hosts 6 --subnet $subnet --dir $labDir | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'The laptop lab did not come up.' }
    & bash $laptopScript plant --name $labName --dir $labDir --hosts 1-4 --flavour compliant --mgmt $mgmt
    if ($LASTEXITCODE -ne 0) { throw 'Planting the compliant laptops failed.' }
    & bash $laptopScript plant --name $labName --dir $labDir --hosts 5-6 --flavour noncompliant --mgmt $mgmt
    if ($LASTEXITCODE -ne 0) { throw 'Planting the non-compliant laptops failed.' }

    # The lab baseline names the tests' management network; this lab has its own.
    $baseline = Join-Path $labDir 'laptop-baseline.json'
    (Get-Content -Raw (Join-Path $repo 'tests/pester/laptop-baseline.lab.json')).Replace('198.18.20.0/24', $mgmt) | Set-Content $baseline
    $inventory = Get-Content -Raw (Join-Path $labDir 'inventory.json') | ConvertFrom-Json
    $laptops = Join-Path $labDir 'laptops.csv'
    $inventory.hosts | ForEach-Object { [pscustomobject]@{ ComputerName = $_.address } } | Export-Csv $laptops -NoTypeInformation

    Write-Host ''
    Write-Host '  PS> ./examples/Invoke-NightlyCompliance.ps1 -InventoryPath laptops.csv -BaselinePath laptop-baseline.json -OutputFolder ...'
    $counts = & (Join-Path $PSScriptRoot 'Invoke-NightlyCompliance.ps1') -ModulePath $ModulePath -InventoryPath $laptops -BaselinePath $baseline `
        -UserName $inventory.user -KeyFilePath $inventory.keys.ed25519 -KnownHostsPath $inventory.knownHosts `
        -AuditLogPath (Join-Path $labDir 'audit.jsonl') -OutputFolder $OutputFolder
    $counts | Format-Table -AutoSize | Out-String -Width 110 | ForEach-Object TrimEnd | Write-Host

    $stamp = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd')
    $report = Join-Path $OutputFolder "compliance-$stamp.html"
    $rows = @(Import-Csv (Join-Path $OutputFolder "compliance-$stamp.csv"))
    Write-Host '  Failing checks on the two laptops that were not built to the baseline:'
    $rows | Where-Object Compliance -eq NonCompliant | Group-Object Check | ForEach-Object { "    {0,-26} {1} laptop(s)" -f $_.Name, $_.Count } | Write-Host
    Write-Host ''
    Write-Host "  The report: $report"
    Write-Host "  Open it in a browser: file://$report   (the CSV beside it has one row per laptop and check)"
    $ok = (Test-Path $report) -and $counts.Laptops -eq 6 -and $counts.Compliant -eq 4 -and $counts.Failing -eq 2 -and $rows.Count -eq 6 * 9
    if (-not $ok) { Write-Host '  UNEXPECTED: the report does not show four compliant and two failing laptops.' }
}
catch {
    Write-Host "  FAILED: $($_.Exception.Message)"
}
finally {
    & bash $labScript down --name $labName --dir $labDir 2>&1 | Out-Null
    Remove-Item -Recurse -Force $labDir -ErrorAction SilentlyContinue
}
if (-not $ok) { exit 1 }
