<#
.SYNOPSIS
    Benchmark (not a test): how long Select-Object -First 1 takes to get the pipeline back from a
    fan-out whose other hosts are still running, and whether their commands end on the hosts.
.DESCRIPTION
    Brings up the largest of -HostCount lab hosts once. For each host count and each module given
    (-ModulePath, for example the module before and after a change), runs in a fresh pwsh:
    Invoke-RoSshCommand as the ordinary lab account on that many hosts, all at once; every host but
    one runs 'sleep 300', the last one sleeps -FastAfterSec and prints a line, which
    Select-Object -First 1 takes. Measures the time from that first result to the pipeline's
    return, and counts the 'sleep 300' processes still on the hosts (they share this machine's
    process table) half a second and three seconds later, and how the stopped hosts' ends are
    reported in the audit log: each Cancelled line's detail is the command line followed by the
    host's message, which says whether the command was ended on the host (confirmed), its end
    started but not confirmed, or the host's work still running when the stop stopped waiting.
    A module from before the audit carried that message logs only the command line: its three
    counts read 0 and AuditSaysNothing counts those lines. Load1 is the one-minute load average
    just before the run. Prints a table; the lab is taken down at the end, also on failure.
    Run it under the lab lock: flock /tmp/remoteops-lab.lock pwsh bench/Invoke-SshStopBenchmark.ps1 ...

    The lab hosts share this machine's two cores with the client, which hosts in the field do
    not, and Linux schedules each session (each SSH session on a host, each kill) as a group of
    its own with the same share as the client's whole process: with 100 hosts stopping, the
    client gets a hundredth of the machine. -PrioritizeClient gives the client's scheduling group
    the highest weight (nice -20 in /proc/PID/autogroup), as if the hosts had CPUs of their own;
    PrioritizeClient in the table says which way a row was measured. Either way the client runs
    in a session of its own (setsid), so that its group holds the client alone.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $ModulePath,
    [ValidateRange(2, 200)] [int[]] $HostCount = @(20, 64),
    [ValidateRange(1, 10)] [int] $Runs = 2,
    [ValidateRange(1, 60)] [int] $FastAfterSec = 6,
    [switch] $PrioritizeClient
)

$ErrorActionPreference = 'Stop'
$ModulePath = @($ModulePath | ForEach-Object { (Resolve-Path $_).Path })
$repo = Split-Path $PSScriptRoot
$labScript = Join-Path $repo 'lab/lab.sh'
$labDir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-stopbench-$PID"
$name = 'rof15b'

try {
    $most = ($HostCount | Measure-Object -Maximum).Maximum
    Write-Host "Bringing up $most lab hosts..."
    & bash $labScript up --name $name --hosts $most --subnet 41 --dir $labDir
    if ($LASTEXITCODE -ne 0) { throw 'The lab did not come up.' }
    $inventory = Get-Content -Raw (Join-Path $labDir 'inventory.json') | ConvertFrom-Json
    $allAddresses = @($inventory.hosts | ForEach-Object address)

    $rows = foreach ($count in $HostCount) {
        $addresses = $allAddresses[0..($count - 1)]
        $hostsFile = Join-Path $labDir "hosts-$count.txt"
        $addresses | Set-Content $hostsFile
        $fast = $addresses[-1]
        foreach ($module in $ModulePath) {
            foreach ($run in 1..$Runs) {
                $tag = '0.000' + (Get-Random -Minimum 100000000 -Maximum 999999999)
                $audit = Join-Path $labDir "audit-$count-$run-$([guid]::NewGuid().ToString('N').Substring(0, 6)).jsonl"
                $script = @"
`$ErrorActionPreference = 'Stop'
if (`$$([bool]$PrioritizeClient)) { Set-Content -Path "/proc/`$PID/autogroup" -Value '-20' }
Import-Module '$module'
`$arrived = `$null
`$first = Invoke-RoSshCommand -ComputerName (Get-Content '$hostsFile') -UserName $($inventory.user) -KeyFilePath '$($inventory.keys.ed25519)' -KnownHostsPath '$($inventory.knownHosts)' -AuditLogPath '$audit' -ThrottleLimit $count -TimeoutSec 120 -ErrorAction SilentlyContinue ``
    -Command "case ``"```$SSH_CONNECTION``" in *' $fast 22') sleep $FastAfterSec; echo fast;; *) sleep 300 $tag;; esac" |
    ForEach-Object { `$arrived = [DateTime]::UtcNow; `$_ } | Select-Object -First 1
"stopSec=`$([math]::Round(([DateTime]::UtcNow - `$arrived).TotalSeconds, 2)) first=`$(`$first.ComputerName)"
"@
                $pattern = '^sleep [0-9]+ ' + [regex]::Escape($tag)
                $load = [double]((Get-Content /proc/loadavg -Raw) -split ' ')[0]
                # In a session of its own, so that its scheduling group is its own too.
                $text = & setsid -w dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1 | Out-String
                $returned = [DateTime]::UtcNow
                Start-Sleep -Milliseconds 500
                $leftHalf = @(& pgrep -f $pattern).Count
                Start-Sleep -Milliseconds 2500
                $leftThree = @(& pgrep -f $pattern).Count
                # Anything still there is ended here, so the next run starts clean.
                foreach ($leftover in @(& pgrep -f $pattern)) { & kill -s KILL $leftover 2>$null }
                $stopped = @(Get-Content $audit -ErrorAction SilentlyContinue | ConvertFrom-Json | Where-Object outcome -eq 'Cancelled')
                $confirmed = @($stopped | Where-Object detail -match 'was ended on the host').Count
                $unconfirmed = @($stopped | Where-Object detail -match 'not confirmed within').Count
                $notEnded = @($stopped | Where-Object detail -match 'had not ended').Count
                $line = ($text -split "`n" | Where-Object { $_ -like 'stopSec=*' } | Select-Object -Last 1)
                [pscustomobject]@{
                    Hosts          = $count
                    Module         = $module
                    Run            = $run
                    StopSec        = if ($line -match 'stopSec=([0-9.]+)') { [double]$Matches[1] } else { $null }
                    First          = if ($line -match 'first=(\S+)') { $Matches[1] } else { "(none: $($text.Trim()))" }
                    Load1          = $load
                    PrioritizeClient = [bool] $PrioritizeClient
                    Cancelled      = $stopped.Count
                    EndConfirmed   = $confirmed
                    EndUnconfirmed = $unconfirmed
                    WorkNotEnded   = $notEnded
                    AuditSaysNothing = $stopped.Count - $confirmed - $unconfirmed - $notEnded
                    LeftAfterHalfS = $leftHalf
                    LeftAfter3S    = $leftThree
                }
            }
        }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    $rows
}
finally {
    & bash $labScript down --name $name --dir $labDir 2>&1 | Out-Null
    Remove-Item -Recurse -Force $labDir -ErrorAction SilentlyContinue
}
