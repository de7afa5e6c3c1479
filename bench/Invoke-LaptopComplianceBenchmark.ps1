<#
.SYNOPSIS
    Benchmark (not a test): compliance of N lab laptops, cold and over held sessions.
.DESCRIPTION
    Brings up N lab hosts (lab name rolap2, subnet 198.18.21.0/24), makes half of them compliant
    and half not with lab/laptops.sh, then in one pwsh process under /usr/bin/time:
    - Test-RoLaptopCompliance -ComputerName over all N (a new SSH connection per laptop): cold;
    - New-RoSshSession to all N, one check over them to warm up, then
      Test-RoLaptopCompliance -Session timed: held.
    Prints each run's wall time and result count, the CPU time the held run cost the client, and
    the process's peak resident memory, against the targets (cold under 20 s, held under 5 s, peak
    under 250 MB). The lab is taken down at the end, also on failure. Must run as root (the lab).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(2, 200)] [int] $HostCount = 100,
    [ValidateRange(1, 1024)] [int] $ThrottleLimit = 64
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$repo = Split-Path $PSScriptRoot
$labScript = Join-Path $repo 'lab/lab.sh'
$laptopScript = Join-Path $repo 'lab/laptops.sh'
$baseline = Join-Path $repo 'tests/pester/laptop-baseline.lab.json'
$labDir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-bench-laptops-$PID"
$name = 'rolap2'
$mgmt = '198.18.21.0/24'

try {
    Write-Host "Bringing up $HostCount lab laptops..."
    & bash $labScript up --name $name --hosts $HostCount --subnet 21 --dir $labDir | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'The lab did not come up.' }
    $half = [math]::Floor($HostCount / 2)
    & bash $laptopScript plant --name $name --dir $labDir --hosts "1-$half" --flavour compliant --mgmt $mgmt --jobs 8
    if ($LASTEXITCODE -ne 0) { throw 'Planting compliant laptops failed.' }
    & bash $laptopScript plant --name $name --dir $labDir --hosts "$($half + 1)-$HostCount" --flavour noncompliant --mgmt $mgmt --jobs 8
    if ($LASTEXITCODE -ne 0) { throw 'Planting non-compliant laptops failed.' }

    # The lab baseline names the tests' management network; the benchmark's lab has its own.
    $benchBaseline = Join-Path $labDir 'baseline.json'
    (Get-Content -Raw $baseline).Replace('198.18.20.0/24', $mgmt) | Set-Content $benchBaseline

    $inventory = Get-Content -Raw (Join-Path $labDir 'inventory.json') | ConvertFrom-Json
    $hostsFile = Join-Path $labDir 'hosts.txt'
    $inventory.hosts | ForEach-Object address | Set-Content $hostsFile

    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$ssh = @{ UserName = '$($inventory.user)'; KeyFilePath = '$($inventory.keys.ed25519)'; KnownHostsPath = '$($inventory.knownHosts)'; AuditLogPath = '$labDir/audit.jsonl'; ThrottleLimit = $ThrottleLimit }
`$hosts = Get-Content '$hostsFile'
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$cold = @(Test-RoLaptopCompliance -ComputerName `$hosts -Baseline '$benchBaseline' @ssh)
`$coldSec = `$clock.Elapsed.TotalSeconds
`$sessions = New-RoSshSession -ComputerName `$hosts @ssh
`$null = Test-RoLaptopCompliance -Session `$sessions -Baseline '$benchBaseline' -ThrottleLimit $ThrottleLimit
`$self = [Diagnostics.Process]::GetCurrentProcess()
`$self.Refresh(); `$cpuBefore = `$self.TotalProcessorTime.TotalSeconds
`$clock.Restart()
`$held = @(Test-RoLaptopCompliance -Session `$sessions -Baseline '$benchBaseline' -ThrottleLimit $ThrottleLimit)
`$heldSec = `$clock.Elapsed.TotalSeconds
`$self.Refresh(); `$heldCpu = `$self.TotalProcessorTime.TotalSeconds - `$cpuBefore
`$sessions | Remove-RoSshSession
"coldResults=`$(`$cold.Count) coldChecked=`$(@(`$cold | Where-Object Status -eq Succeeded).Count) coldSec=`$([math]::Round(`$coldSec, 2)) heldResults=`$(`$held.Count) heldChecked=`$(@(`$held | Where-Object Status -eq Succeeded).Count) heldSec=`$([math]::Round(`$heldSec, 2)) heldClientCpu=`$([math]::Round(`$heldCpu, 2)) compliant=`$(@(`$held | Where-Object Compliance -eq Compliant).Count)"
"@
    $timeFile = Join-Path $labDir 'pwsh.time'
    $outFile = Join-Path $labDir 'pwsh.out'
    & /usr/bin/time -f '%e %M' -o $timeFile dotnet pwsh -NoProfile -NonInteractive -Command $script *> $outFile
    $line = Get-Content $outFile | Where-Object { $_ -like 'coldResults=*' } | Select-Object -Last 1
    if (-not $line) { throw "The RemoteOps run printed no figures:`n$(Get-Content -Raw $outFile)" }
    $figures = @{}
    foreach ($pair in $line.Split(' ')) { $k, $v = $pair.Split('=', 2); $figures[$k] = [double]$v }
    $peakMB = [math]::Round([double](Get-Content $timeFile | Select-Object -Last 1).Split(' ')[1] / 1024, 1)

    Write-Host ''
    Write-Host "Laptop compliance: $HostCount lab laptops, 9 checks each, -ThrottleLimit $ThrottleLimit, $([Environment]::ProcessorCount) cores ($(Get-Date -Format 'yyyy-MM-dd'))"
    @(
        [pscustomobject]@{ Run = 'Test-RoLaptopCompliance -ComputerName (cold)'; Results = $figures.coldResults; ResultsChecked = $figures.coldChecked; Seconds = $figures.coldSec; Target = 'under 20 s' }
        [pscustomobject]@{ Run = 'Test-RoLaptopCompliance -Session (held)'; Results = $figures.heldResults; ResultsChecked = $figures.heldChecked; Seconds = $figures.heldSec; Target = 'under 5 s' }
    ) | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host ("Peak resident memory of the pwsh process: {0} MB (target: under 250 MB); compliant results in the held run: {1}" -f $peakMB, $figures.compliant)
    # The lab laptops run their evidence scripts on this machine's cores, next to the client; on
    # a real fleet each laptop runs its own. What the held run cost the client alone shows how
    # much of the wall time is the module's.
    Write-Host ("CPU time of the pwsh process in the held run: {0} s of {1} s wall on {2} cores (the rest of the machine's time went to the {3} lab laptops' sshd, sudo and evidence scripts)" -f $figures.heldClientCpu, $figures.heldSec, [Environment]::ProcessorCount, $HostCount)
}
finally {
    & bash $labScript down --name $name --dir $labDir 2>&1 | Out-Null
    Remove-Item -Recurse -Force $labDir -ErrorAction SilentlyContinue
}
