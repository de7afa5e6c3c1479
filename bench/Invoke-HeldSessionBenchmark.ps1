<#
.SYNOPSIS
    Benchmark (not a test): a second command over 100 held SSH sessions against a cold parallel-ssh run.
.DESCRIPTION
    Brings up N lab hosts, then in the same run and against the same hosts:
    - runs 'uptime' with parallel-ssh -p 32 (a new connection per host, as every pssh run makes),
      in a process of its own under /usr/bin/time;
    - in one pwsh process: opens N held sessions with New-RoSshSession, runs a first command over
      them, then times a second command (Invoke-RoSshCommand -Session, 'uptime') over them.
    Memory per held session is the working set the N sessions added, measured after a full
    garbage collection, over a baseline taken after one session was opened and removed (so the
    code loaded on first use is not counted), divided by N; the managed heap's share is printed
    beside it, and the CPU time the second command cost the client process. Prints a table and the
    ratio; the lab is taken down at the end, also on failure.

    -PrioritizeClient runs all three clients (parallel-ssh, SSH.NET alone and RemoteOps) with
    the highest scheduling weight (see Measure-Process -Prioritized), as if the lab hosts had
    CPUs of their own: each lab host's SSH session is a scheduling group of its own, as large as
    the client's.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(2, 200)] [int] $HostCount = 100,
    [switch] $PrioritizeClient
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$repo = Split-Path $PSScriptRoot
$labScript = Join-Path $repo 'lab/lab.sh'
$labDir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-bench-held-$PID"
$name = 'roheld'

Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1') -Force

try {
    Write-Host "Bringing up $HostCount lab hosts..."
    & bash $labScript up --name $name --hosts $HostCount --subnet 8 --dir $labDir
    if ($LASTEXITCODE -ne 0) { throw 'The lab did not come up.' }
    $inventory = Get-Content -Raw (Join-Path $labDir 'inventory.json') | ConvertFrom-Json
    $addresses = @($inventory.hosts | ForEach-Object address)
    $hostsFile = Join-Path $labDir 'hosts.txt'
    $addresses | Set-Content $hostsFile
    $sshOptions = @('-o', "UserKnownHostsFile=$($inventory.knownHosts)", '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-i', $inventory.keys.ed25519)

    $pssh = Measure-Process -Prioritized:$PrioritizeClient -Directory $labDir -Label 'parallel-ssh -p 32 (cold)' -FilePath parallel-ssh -ArgumentList (@('-h', $hostsFile, '-l', $inventory.user, '-p', '32', '-t', '60') + ($sshOptions | ForEach-Object { '-x'; $_ }) + @('uptime'))
    $psshSucceeded = @(Get-Content $pssh.OutputFile | Where-Object { $_ -match '\[SUCCESS\]' }).Count

    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$common = @{ UserName = '$($inventory.user)'; KeyFilePath = '$($inventory.keys.ed25519)'; KnownHostsPath = '$($inventory.knownHosts)'; AuditLogPath = '$labDir/audit.jsonl'; ThrottleLimit = 32 }
`$hosts = Get-Content '$hostsFile'
function Measure-WorkingSet { [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect(); `$p = [Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh(); [pscustomobject]@{ Ws = `$p.WorkingSet64; Managed = [GC]::GetTotalMemory(`$true) } }
New-RoSshSession -ComputerName `$hosts[0] @common | Remove-RoSshSession
`$before = Measure-WorkingSet
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$sessions = New-RoSshSession -ComputerName `$hosts @common
`$openSec = `$clock.Elapsed.TotalSeconds
`$after = Measure-WorkingSet
`$first = Invoke-RoSshCommand -Session `$sessions -Command uptime
`$self = [Diagnostics.Process]::GetCurrentProcess()
`$self.Refresh(); `$cpuBefore = `$self.TotalProcessorTime.TotalSeconds
`$clock.Restart()
`$second = Invoke-RoSshCommand -Session `$sessions -Command uptime
`$secondSec = `$clock.Elapsed.TotalSeconds
`$self.Refresh(); `$secondCpu = `$self.TotalProcessorTime.TotalSeconds - `$cpuBefore
`$fresh = [Diagnostics.Stopwatch]::StartNew()
`$cold = Invoke-RoSshCommand -ComputerName `$hosts @common -Command uptime
`$coldSec = `$fresh.Elapsed.TotalSeconds
`$sessions | Remove-RoSshSession
"sessions=`$(@(`$sessions).Count) openSec=`$([math]::Round(`$openSec, 2)) secondSucceeded=`$(@(`$second | Where-Object Status -eq Succeeded).Count) secondSec=`$([math]::Round(`$secondSec, 3)) secondCpu=`$([math]::Round(`$secondCpu, 2)) coldSucceeded=`$(@(`$cold | Where-Object Status -eq Succeeded).Count) coldSec=`$([math]::Round(`$coldSec, 2)) wsPerSessionKB=`$([math]::Round((`$after.Ws - `$before.Ws) / 1KB / @(`$sessions).Count, 0)) managedPerSessionKB=`$([math]::Round((`$after.Managed - `$before.Managed) / 1KB / @(`$sessions).Count, 0))"
"@
    # The floor this machine allows: SSH.NET alone, no RemoteOps, no stop wrapper, no audit log,
    # the same second command over connections held the same way. The lab hosts share the
    # build machine's cores, so what each command costs the hosts counts against both runs.
    $dependencies = Join-Path (Split-Path $ModulePath) 'Dependencies'
    $floorScript = @"
`$ErrorActionPreference = 'Stop'
foreach (`$name in 'BouncyCastle.Cryptography', 'Microsoft.Extensions.Logging.Abstractions', 'Renci.SshNet') { Add-Type -Path (Join-Path '$dependencies' "`$name.dll") }
`$key = [Renci.SshNet.PrivateKeyFile]::new('$($inventory.keys.ed25519)')
`$clients = foreach (`$address in Get-Content '$hostsFile') {
    `$method = [Renci.SshNet.PrivateKeyAuthenticationMethod]::new('$($inventory.user)', `$key)
    [Renci.SshNet.SshClient]::new([Renci.SshNet.ConnectionInfo]::new(`$address, 22, '$($inventory.user)', [Renci.SshNet.AuthenticationMethod[]]@(`$method)))
}
[Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]@(foreach (`$client in `$clients) { `$client.ConnectAsync([Threading.CancellationToken]::None) }))
function Invoke-Everywhere { `$commands = foreach (`$client in `$clients) { `$client.CreateCommand('uptime') }; [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]@(foreach (`$command in `$commands) { `$command.ExecuteAsync([Threading.CancellationToken]::None) })); @(`$commands | Where-Object ExitStatus -eq 0).Count }
`$null = Invoke-Everywhere
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$succeeded = Invoke-Everywhere
"floorSucceeded=`$succeeded floorSec=`$([math]::Round(`$clock.Elapsed.TotalSeconds, 3))"
foreach (`$client in `$clients) { `$client.Dispose() }
"@
    $floor = Measure-Process -Prioritized:$PrioritizeClient -Directory $labDir -Label 'SSH.NET alone' -FilePath dotnet -ArgumentList @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $floorScript)

    $ro = Measure-Process -Prioritized:$PrioritizeClient -Directory $labDir -Label 'RemoteOps held sessions' -FilePath dotnet -ArgumentList @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $script)
    $line = Get-Content $ro.OutputFile | Where-Object { $_ -like 'sessions=*' } | Select-Object -Last 1
    if (-not $line) { throw "The RemoteOps run printed no figures:`n$(Get-Content -Raw $ro.OutputFile)" }
    $figures = @{}
    $floorLine = Get-Content $floor.OutputFile | Where-Object { $_ -like 'floorSucceeded=*' } | Select-Object -Last 1
    if (-not $floorLine) { throw "The SSH.NET run printed no figures:`n$(Get-Content -Raw $floor.OutputFile)" }
    foreach ($pair in ($line, $floorLine -join ' ').Split(' ')) { $k, $v = $pair.Split('=', 2); $figures[$k] = [double]$v }

    $rows = @(
        [pscustomobject]@{ Run = 'parallel-ssh -p 32, cold (whole process)'; Succeeded = $psshSucceeded; Seconds = $pssh.WallSec }
        [pscustomobject]@{ Run = 'New-RoSshSession, 100 hosts'; Succeeded = $figures.sessions; Seconds = $figures.openSec }
        [pscustomobject]@{ Run = 'Invoke-RoSshCommand -Session, second command'; Succeeded = $figures.secondSucceeded; Seconds = $figures.secondSec }
        [pscustomobject]@{ Run = 'Invoke-RoSshCommand -ComputerName, cold (same process)'; Succeeded = $figures.coldSucceeded; Seconds = $figures.coldSec }
        [pscustomobject]@{ Run = 'SSH.NET alone, second command (floor)'; Succeeded = $figures.floorSucceeded; Seconds = $figures.floorSec }
    )
    Write-Host ''
    Write-Host "Held sessions: a second command on $HostCount lab hosts on $([Environment]::ProcessorCount) cores ($(Get-Date -Format 'yyyy-MM-dd')); clients prioritized: $([bool]$PrioritizeClient)"
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host ("Second command over held sessions vs cold parallel-ssh: {0:0.0}x faster (target: at least 10x)" -f ($pssh.WallSec / $figures.secondSec))
    Write-Host ("SSH.NET alone (the floor on this machine) vs cold parallel-ssh: {0:0.0}x faster" -f ($pssh.WallSec / $figures.floorSec))
    # The lab hosts share this machine's cores with the client: what the second command cost the
    # client itself shows how much of its wall time is RemoteOps's.
    Write-Host ("CPU time of the RemoteOps process for the second command: {0} s of {1} s wall on {2} cores" -f $figures.secondCpu, $figures.secondSec, [Environment]::ProcessorCount)
    Write-Host ("Memory per held session: {0} KB of working set, {1} KB of it managed heap (target: under 1 MB)" -f $figures.wsPerSessionKB, $figures.managedPerSessionKB)
    Write-Host ("RemoteOps process: {0} s wall, {1} MB peak, {2} s CPU; parallel-ssh: {3} MB peak, {4} s CPU" -f $ro.WallSec, $ro.PeakMB, $ro.CpuSec, $pssh.PeakMB, $pssh.CpuSec)
}
finally {
    & bash $labScript down --name $name --dir $labDir 2>&1 | Out-Null
    Remove-Item -Recurse -Force $labDir -ErrorAction SilentlyContinue
}
