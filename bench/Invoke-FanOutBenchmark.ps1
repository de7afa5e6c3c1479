<#
.SYNOPSIS
    Benchmark (not a test): one command fanned out to N lab hosts by RemoteOps, parallel-ssh and Ansible.
.DESCRIPTION
    Brings up N lab hosts, then in the same run and against the same hosts runs 'uptime' with
    RemoteOps (throttle 32 and 64), parallel-ssh -p 32 and 'ansible -m command -f 50'. Each
    tool runs in a process of its own under /usr/bin/time, so wall time, peak memory (max RSS)
    and CPU seconds are measured the same way for all. For RemoteOps it also prints the time of
    the Invoke-RoSshCommand call alone and the memory it added over the session with the module
    imported. Prints a table and the ratios; the lab is taken down at the end, also on failure.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(2, 200)] [int] $HostCount = 100
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$repo = Split-Path $PSScriptRoot
$labScript = Join-Path $repo 'lab/lab.sh'
$labDir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-bench-$PID"
$name = 'robench'

Import-Module (Join-Path $PSScriptRoot 'BenchSupport.psm1') -Force

try {
    Write-Host "Bringing up $HostCount lab hosts..."
    $upClock = [Diagnostics.Stopwatch]::StartNew()
    & bash $labScript up --name $name --hosts $HostCount --subnet 3 --dir $labDir
    if ($LASTEXITCODE -ne 0) { throw 'The lab did not come up.' }
    Write-Host ("Lab up in {0:0.0} s" -f $upClock.Elapsed.TotalSeconds)
    $inventory = Get-Content -Raw (Join-Path $labDir 'inventory.json') | ConvertFrom-Json
    $addresses = @($inventory.hosts | ForEach-Object address)
    $hostsFile = Join-Path $labDir 'hosts.txt'
    $addresses | Set-Content $hostsFile
    $sshOptions = @('-o', "UserKnownHostsFile=$($inventory.knownHosts)", '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-i', $inventory.keys.ed25519)

    $results = @()
    foreach ($throttle in 32, 64) {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$before = [Diagnostics.Process]::GetCurrentProcess().WorkingSet64
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$r = Invoke-RoSshCommand -ComputerName (Get-Content '$hostsFile') -UserName $($inventory.user) -KeyFilePath '$($inventory.keys.ed25519)' -KnownHostsPath '$($inventory.knownHosts)' -AuditLogPath '$labDir/audit.jsonl' -Command uptime -ThrottleLimit $throttle
`$clock.Stop()
[Diagnostics.Process]::GetCurrentProcess().Refresh()
`$peak = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
"succeeded=`$(@(`$r | Where-Object Status -eq Succeeded).Count) invokeSec=`$([math]::Round(`$clock.Elapsed.TotalSeconds, 2)) addedMB=`$([math]::Round((`$peak - `$before) / 1MB, 1))"
"@
        $m = Measure-Process -Directory $labDir -Label "RemoteOps -ThrottleLimit $throttle" -FilePath dotnet -ArgumentList @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $script)
        $line = Get-Content $m.OutputFile | Where-Object { $_ -like 'succeeded=*' } | Select-Object -Last 1
        $succeeded = if ($line -match '^succeeded=(\d+)') { [int]$Matches[1] } else { 0 }
        $m | Add-Member -NotePropertyName Succeeded -NotePropertyValue $succeeded
        $m | Add-Member -NotePropertyName Note -NotePropertyValue ("$line" -replace '^succeeded=\d+ ', '')
        $results += $m
    }

    $pssh = Measure-Process -Directory $labDir -Label 'parallel-ssh -p 32' -FilePath parallel-ssh -ArgumentList (@('-h', $hostsFile, '-l', $inventory.user, '-p', '32', '-t', '60') + ($sshOptions | ForEach-Object { '-x'; $_ }) + @('uptime'))
    $pssh | Add-Member -NotePropertyName Succeeded -NotePropertyValue @(Get-Content $pssh.OutputFile | Where-Object { $_ -match '\[SUCCESS\]' }).Count
    $pssh | Add-Member -NotePropertyName Note -NotePropertyValue ''
    $results += $pssh

    $ansibleInventory = Join-Path $labDir 'ansible-inventory.ini'
    @('[lab]') + $addresses | Set-Content $ansibleInventory
    $ansibleEnv = @{
        ANSIBLE_HOST_KEY_CHECKING = 'True'
        ANSIBLE_SSH_ARGS          = "-o UserKnownHostsFile=$($inventory.knownHosts) -o StrictHostKeyChecking=yes -o ControlMaster=no"
        ANSIBLE_LOCAL_TEMP        = (Join-Path $labDir 'ansible-tmp')
        ANSIBLE_PYTHON_INTERPRETER = '/usr/bin/python3'
        ANSIBLE_NOCOLOR           = '1'
    }
    $ansible = Measure-Process -Directory $labDir -Label 'ansible -f 50' -FilePath ansible -Environment $ansibleEnv -ArgumentList @('lab', '-i', $ansibleInventory, '-m', 'command', '-a', 'uptime', '-f', '50', '-u', $inventory.user, '--private-key', $inventory.keys.ed25519)
    $ansible | Add-Member -NotePropertyName Succeeded -NotePropertyValue @(Get-Content $ansible.OutputFile | Where-Object { $_ -match '\| CHANGED \|' }).Count
    $ansible | Add-Member -NotePropertyName Note -NotePropertyValue ''
    $results += $ansible

    $baseline = $pssh.WallSec
    $ansibleWall = $ansible.WallSec
    $table = $results | Select-Object Tool, Succeeded, WallSec, PeakMB, CpuSec,
        @{ Name = 'VsPssh'; Expression = { [math]::Round($_.WallSec / $baseline, 2) } },
        @{ Name = 'AnsibleOverThis'; Expression = { [math]::Round($ansibleWall / $_.WallSec, 1) } }, Note
    Write-Host ''
    Write-Host "Fan-out of 'uptime' to $HostCount lab hosts on $([Environment]::ProcessorCount) cores ($(Get-Date -Format 'yyyy-MM-dd'))"
    $table | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Write-Host 'WallSec, PeakMB and CpuSec are whole processes (RemoteOps includes starting pwsh and importing the module);'
    Write-Host 'invokeSec is the Invoke-RoSshCommand call alone, addedMB its peak working set over the session before it.'
}
finally {
    & bash $labScript down --name $name --dir $labDir 2>&1 | Out-Null
    Remove-Item -Recurse -Force $labDir -ErrorAction SilentlyContinue
}
