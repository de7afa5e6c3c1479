<#
.SYNOPSIS
    What the benchmarks share: running a tool in a process of its own and reading what it cost.
#>
Set-StrictMode -Version Latest

function Measure-Process {
    <#
    .SYNOPSIS
        Runs a program under /usr/bin/time and returns its wall time, peak memory and CPU time.
    .DESCRIPTION
        The program's output goes to '<Label>.out' in -Directory (returned as OutputFile), so a
        benchmark can read its figures or show why it failed. -Environment sets variables for
        the run only. -Prioritized runs it in a session of its own whose scheduling group has
        the highest weight (nice -20 in /proc/self/autogroup): Linux gives each session an equal
        share of the CPU, and every lab host's SSH session is one, so with 100 lab hosts busy a
        client would otherwise get a hundredth of the machine, which a client whose hosts have
        CPUs of their own does not suffer.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [string] $Label,
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [Parameter(Mandatory)] [string] $Directory,
        [hashtable] $Environment = @{},
        [switch] $Prioritized
    )
    $timeFile = Join-Path $Directory "$Label.time"
    $outFile = Join-Path $Directory "$Label.out"
    $saved = @{}
    foreach ($key in $Environment.Keys) { $saved[$key] = [Environment]::GetEnvironmentVariable($key); [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
    try {
        Remove-Item $timeFile -ErrorAction SilentlyContinue
    $timed = @('/usr/bin/time', '-f', '%e %M %U %S', '-o', $timeFile, $FilePath) + $ArgumentList
        if ($Prioritized) {
            & setsid -w /bin/sh -c 'echo -20 > /proc/self/autogroup && exec "$@"' prioritized @timed *> $outFile
        }
        else {
            & $timed[0] $timed[1..($timed.Count - 1)] *> $outFile
        }
        $exit = $LASTEXITCODE
    }
    finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
    if (-not (Test-Path $timeFile)) {
        throw "$Label did not run (exit code $exit): $(Get-Content -Raw $outFile -ErrorAction SilentlyContinue)"
    }
    $fields = (Get-Content $timeFile | Select-Object -Last 1).Split(' ')
    [pscustomobject]@{
        Tool       = $Label
        WallSec    = [double]$fields[0]
        PeakMB     = [math]::Round([double]$fields[1] / 1024, 1)
        CpuSec     = [math]::Round([double]$fields[2] + [double]$fields[3], 2)
        ExitCode   = $exit
        OutputFile = $outFile
    }
}

Export-ModuleMember -Function Measure-Process
