<#
.SYNOPSIS
    Benchmark (not a test): how long Test-RoRemoteAccess takes with every check, against a real
    ocserv in a lab namespace and the Connect Secure emulator on loopback.
.DESCRIPTION
    Brings up a one-host lab (lab/lab.sh, subnet 198.18.31.0/24) with a real ocserv
    (lab/ocserv.sh) and starts the Connect Secure emulator, creates one user on both, then runs
    Test-RoRemoteAccess -Credential -RunCount times against both connections: on ocserv the
    account, sessions, capacity and appliance checks over SSH, the gateway's DNS/TCP/TLS check and
    a real sign-in with openconnect --authenticate; on Connect Secure the same checks over REST
    and its gateway; plus the second-factor and laptop checks (not available here). The first run
    warms up and is not counted. Prints the fastest, median and slowest run and each check's
    median. Everything is taken down at the end, also on failure.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [ValidateRange(1, 100)] [int] $RunCount = 10
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$repo = Split-Path $PSScriptRoot
$env:REMOTEOPS_REPO_ROOT = $repo
Import-Module $ModulePath
Import-Module (Join-Path $repo 'tests/pester/EmulatorFixture.psm1')
$labScript = Join-Path $repo 'lab/lab.sh'
$ocservScript = Join-Path $repo 'lab/ocserv.sh'
$name = 'rohd2'
$dir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-$name-$PID"
$emulator = $null
$connections = @()
try {
    & bash $labScript up --name $name --hosts 1 --subnet 31 --dir $dir | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'The lab did not come up.' }
    & bash $ocservScript up --name $name --host 1 --dir $dir | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'ocserv did not come up.' }
    $inventory = Get-Content -Raw (Join-Path $dir 'inventory.json') | ConvertFrom-Json
    $ocserv = Get-Content -Raw (Join-Path $dir 'ocserv.json') | ConvertFrom-Json
    $emulator = Start-ApplianceEmulator -Kind ics
    $admin = [pscredential]::new($emulator.adminUser, (ConvertTo-SecureString $emulator.adminPassword -AsPlainText -Force))
    $connections = @(
        Connect-RoAppliance -Driver Ocserv -Address $ocserv.address -UserName $inventory.user -KeyFilePath $inventory.keys.ed25519 -KnownHostsPath $inventory.knownHosts
        Connect-RoAppliance -Driver ConnectSecure -Address $emulator.baseUrl -Credential $admin -PublicKeyPin $emulator.spkiSha256
    )
    $password = ConvertTo-SecureString "Bench-$([guid]::NewGuid().ToString('N').Substring(0, 12))" -AsPlainText -Force
    $audit = Join-Path $dir 'bench-audit.jsonl'
    foreach ($connection in $connections) {
        New-RoVpnUser -Connection $connection -UserName benchuser -Group $(if ($connection.Driver -eq 'Ocserv') { 'staff' } else { 'Users' }) -Password $password -AuditLogPath $audit | Out-Null
    }
    $credential = [pscredential]::new('benchuser', $password)
    $arguments = @{ UserName = 'benchuser'; Credential = $credential; Connection = $connections; GatewayPublicKeyPin = $ocserv.serverCertificateSha256Pin }

    $warmUp = Test-RoRemoteAccess @arguments
    Write-Host ("Checks per run: {0} ({1})" -f $warmUp.Checks.Count, (($warmUp.Checks | ForEach-Object { "$($_.Check)/$($_.Status)" }) -join ', '))
    $runs = foreach ($i in 1..$RunCount) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $verdict = Test-RoRemoteAccess @arguments
        $clock.Stop()
        if ($verdict.Cause -ne 'None') { throw "Run $i found $($verdict.Cause): $($verdict.Summary)" }
        [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Verdict = $verdict }
    }

    $sorted = @($runs.Seconds | Sort-Object)
    $median = $sorted[[int][math]::Floor(($sorted.Count - 1) / 2)]
    Write-Host ("Test-RoRemoteAccess with every check, {0} runs: fastest {1:0.000} s, median {2:0.000} s, slowest {3:0.000} s" -f $sorted.Count, $sorted[0], $median, $sorted[-1])
    $runs.Verdict.Checks | Group-Object { "$($_.Check) $($_.Target)" } | ForEach-Object {
        $ms = @($_.Group.Duration.TotalMilliseconds | Sort-Object)
        [pscustomobject]@{ Check = $_.Name; MedianMs = [math]::Round($ms[[int][math]::Floor(($ms.Count - 1) / 2)]) }
    } | Sort-Object MedianMs -Descending | Format-Table -AutoSize | Out-String | Write-Host
}
finally {
    foreach ($connection in $connections) { Disconnect-RoAppliance -Connection $connection }
    if ($emulator) { Stop-ApplianceEmulator -Emulator $emulator }
    & bash $ocservScript down --name $name --dir $dir 2>&1 | Out-Null
    & bash $labScript down --name $name --dir $dir 2>&1 | Out-Null
}
