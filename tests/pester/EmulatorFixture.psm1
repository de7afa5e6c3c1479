# Starts and stops a lab emulator of a closed appliance (lab/Emulators) on loopback for a test file.

function Start-ApplianceEmulator {
    param(
        [Parameter(Mandatory)] [ValidateSet('ics', 'fortios', 'securid', 'smc')] [string] $Kind,
        [string[]] $ExtraArgument = @()
    )
    $dll = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/Emulators/bin/Release/net10.0/RemoteOps.Lab.Emulators.dll'
    if (-not (Test-Path $dll)) { throw "The emulator is not built: '$dll' is missing (build.ps1 Test builds it)." }
    $stateDir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-emulator-$Kind-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    New-Item -ItemType Directory $stateDir | Out-Null
    $arguments = @($dll, '--kind', $Kind, '--state-dir', $stateDir, '--port', '0', '--parent-pid', $PID, '--max-lifetime-sec', '900') + $ExtraArgument
    $process = Start-Process -FilePath dotnet -ArgumentList $arguments -PassThru -RedirectStandardOutput (Join-Path $stateDir 'stdout.log') -RedirectStandardError (Join-Path $stateDir 'stderr.log')
    $endpointFile = Join-Path $stateDir 'endpoint.json'
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not (Test-Path $endpointFile)) {
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            $log = Get-Content (Join-Path $stateDir 'stderr.log'), (Join-Path $stateDir 'stdout.log') -ErrorAction SilentlyContinue
            if (-not $process.HasExited) { $process.Kill() }
            throw "The $Kind emulator did not start: $($log -join "`n")"
        }
        Start-Sleep -Milliseconds 100
    }
    $endpoint = Get-Content -Raw $endpointFile | ConvertFrom-Json
    $endpoint | Add-Member -NotePropertyName Process -NotePropertyValue $process
    $endpoint | Add-Member -NotePropertyName StateDirectory -NotePropertyValue $stateDir
    return $endpoint
}

function Stop-ApplianceEmulator {
    param([Parameter(Mandatory)] $Emulator)
    if ($Emulator.Process -and -not $Emulator.Process.HasExited) {
        $Emulator.Process.Kill($true)
        $Emulator.Process.WaitForExit(10000) | Out-Null
    }
    if ($Emulator.StateDirectory -and (Test-Path $Emulator.StateDirectory)) {
        Remove-Item -Recurse -Force $Emulator.StateDirectory -ErrorAction SilentlyContinue
    }
}

function Invoke-EmulatorControl {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [ValidateSet('GET', 'POST', 'DELETE')] [string] $Method,
        [Parameter(Mandatory)] [string] $Path,
        [hashtable] $Body
    )
    $uri = "$($Emulator.baseUrl)$Path"
    $json = if ($Body) { $Body | ConvertTo-Json -Depth 10 -Compress } else { $null }
    # The lab CA is trusted for this client only: the test machine's trust store is never changed.
    $handler = New-EmulatorHttpHandler -Emulator $Emulator
    $client = [System.Net.Http.HttpClient]::new($handler)
    try {
        $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), $uri)
        $request.Headers.Add('X-Lab-Control', $Emulator.controlToken)
        if ($json) { $request.Content = [System.Net.Http.StringContent]::new($json, [Text.Encoding]::UTF8, 'application/json') }
        $response = $client.SendAsync($request).GetAwaiter().GetResult()
        $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) { throw "Emulator control $Method $Path failed: $([int]$response.StatusCode) $text" }
        if ($text) { return $text | ConvertFrom-Json }
    }
    finally { $client.Dispose() }
}

# An HTTP handler that trusts the emulator's lab CA and nothing else. (A script block cannot be the
# certificate callback: it would run on a TLS thread that has no runspace.)
function New-EmulatorHttpHandler {
    param([Parameter(Mandatory)] $Emulator)
    $ca = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificateFromFile($Emulator.caCertificate)
    $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
    $policy.TrustMode = [System.Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
    $policy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
    $policy.CustomTrustStore.Add($ca) | Out-Null
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.SslOptions.CertificateChainPolicy = $policy
    return $handler
}

Export-ModuleMember -Function Start-ApplianceEmulator, Stop-ApplianceEmulator, Invoke-EmulatorControl, New-EmulatorHttpHandler
