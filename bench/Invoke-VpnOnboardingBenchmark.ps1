<#
.SYNOPSIS
    Benchmark (not a test): onboard N users to the Connect Secure emulator with New-RoVpnUser,
    against a plain sequential loop of REST calls, in the same run.
.DESCRIPTION
    Starts the lab emulator of Ivanti Connect Secure on loopback with a fixed latency per
    request (default 20 ms), then:
      1. creates -UserCount users through 'New-RoVpnUser' (pipeline, default throttle);
      2. creates -SequentialCount users with a plain loop: one POST per user, one after another,
         over one HttpClient (what a hand-written script does).
    Prints users per second of both, the time RemoteOps took for all users, the speed-up, and
    the process's working set before, during (peak) and after, to show memory stays flat.
    The emulator is stopped at the end, also on failure.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(10, 20000)] [int] $UserCount = 4000,
    [ValidateRange(10, 20000)] [int] $SequentialCount = 400,
    [ValidateRange(0, 1000)] [int] $LatencyMs = 20,
    [ValidateRange(1, 256)] [int] $ThrottleLimit = 16
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$repo = Split-Path $PSScriptRoot
$env:REMOTEOPS_REPO_ROOT = $repo
Import-Module $ModulePath
Import-Module (Join-Path $repo 'tests/pester/EmulatorFixture.psm1')
$emulator = Start-ApplianceEmulator -Kind ics
try {
    Invoke-EmulatorControl -Emulator $emulator -Method POST -Path '/_lab/faults' -Body @{ latencyMs = $LatencyMs } | Out-Null
    $admin = [pscredential]::new($emulator.adminUser, (ConvertTo-SecureString $emulator.adminPassword -AsPlainText -Force))
    $connection = Connect-RoVpnAppliance -Driver ConnectSecure -Address $emulator.baseUrl -Credential $admin -PublicKeyPin $emulator.spkiSha256
    $password = ConvertTo-SecureString 'Bench-Initial-1!' -AsPlainText -Force
    $audit = Join-Path $emulator.StateDirectory 'audit.jsonl'
    $process = [Diagnostics.Process]::GetCurrentProcess()
    [GC]::Collect(); $process.Refresh(); $before = $process.WorkingSet64

    $rows = 1..$UserCount | ForEach-Object { [pscustomobject]@{ UserName = 'bench{0:d5}' -f $_; FullName = "Bench $_" } }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $peak = 0L
    $created = 0
    $rows | New-RoVpnUser -Password $password -ThrottleLimit $ThrottleLimit -AuditLogPath $audit | ForEach-Object {
        if ($_.Outcome -eq 'Created') { $created++ }
        if ($created % 500 -eq 0) { $process.Refresh(); $peak = [math]::Max($peak, $process.WorkingSet64) }
    }
    $clock.Stop()
    $remoteOpsSeconds = $clock.Elapsed.TotalSeconds
    [GC]::Collect(); $process.Refresh(); $after = $process.WorkingSet64; $peak = [math]::Max($peak, $after)

    # The plain loop: log in once, then one POST per user, sequentially, pinned to the same certificate.
    $http = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $emulator))
    $http.BaseAddress = $emulator.baseUrl
    $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($emulator.adminUser):$($emulator.adminPassword)"))
    $login = [System.Net.Http.HttpRequestMessage]::new('POST', '/api/v1/realm_auth')
    $login.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Basic', $basic)
    $login.Content = [System.Net.Http.StringContent]::new('{"realm":"Admin Users"}', [Text.Encoding]::UTF8, 'application/json')
    $apiKey = ($http.SendAsync($login).GetAwaiter().GetResult().Content.ReadAsStringAsync().GetAwaiter().GetResult() | ConvertFrom-Json).api_key
    $keyAuth = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Basic', [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${apiKey}:")))
    $usersPath = '/api/v1/configuration/authentication/auth-servers/auth-server/System%20Local/local/users/user/'
    $clock = [Diagnostics.Stopwatch]::StartNew()
    for ($i = 1; $i -le $SequentialCount; $i++) {
        $request = [System.Net.Http.HttpRequestMessage]::new('POST', $usersPath)
        $request.Headers.Authorization = $keyAuth
        $body = @{ username = 'loop{0:d5}' -f $i; fullname = "Loop $i"; 'password-cleartext' = 'Bench-Initial-1!'; enabled = 'true'; 'change-password-at-signin' = 'false' } | ConvertTo-Json -Compress
        $request.Content = [System.Net.Http.StringContent]::new($body, [Text.Encoding]::UTF8, 'application/json')
        $response = $http.SendAsync($request).GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) { throw "Sequential loop: HTTP $([int]$response.StatusCode) for user $i" }
    }
    $clock.Stop()
    $http.Dispose()
    $sequentialSeconds = $clock.Elapsed.TotalSeconds

    $remoteOpsRate = $created / $remoteOpsSeconds
    $sequentialRate = $SequentialCount / $sequentialSeconds
    [pscustomobject]@{
        LatencyMsPerRequest          = $LatencyMs
        RemoteOpsUsersCreated        = $created
        RemoteOpsSeconds             = [math]::Round($remoteOpsSeconds, 2)
        RemoteOpsUsersPerSecond      = [math]::Round($remoteOpsRate, 1)
        RemoteOpsThrottleLimit       = $ThrottleLimit
        SequentialUsersCreated       = $SequentialCount
        SequentialSeconds            = [math]::Round($sequentialSeconds, 2)
        SequentialUsersPerSecond     = [math]::Round($sequentialRate, 1)
        SequentialProjectedSecondsFor = "{0} users: {1:0} s" -f $UserCount, ($UserCount / $sequentialRate)
        SpeedUp                      = [math]::Round($remoteOpsRate / $sequentialRate, 1)
        WorkingSetBeforeMB           = [math]::Round($before / 1MB, 1)
        WorkingSetPeakMB             = [math]::Round($peak / 1MB, 1)
        WorkingSetAfterMB            = [math]::Round($after / 1MB, 1)
    } | Format-List | Out-String | Write-Host
    Write-Host 'RemoteOps does GET (exists?) + POST per new user; the plain loop sends only the POST.'
}
finally {
    Stop-ApplianceEmulator -Emulator $emulator
}
