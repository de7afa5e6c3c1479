#requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks RemoteOps.
.DESCRIPTION
    Run with the pinned PowerShell: 'dotnet tool restore', then 'dotnet pwsh ./build.ps1 <Task>'.
    Tasks:
      Build  compile and lay out a self-contained module in out/RemoteOps/<version>/
      Package  build, then pack the module into out/packages/RemoteOps.<version>.nupkg (PSResourceGet)
      Test   install what the tests need, build, run xunit and Pester, print 'N passed, N failed'
      Demo   bring up a lab (SSH hosts, ocserv, the Connect Secure emulator), run the demo steps in examples/, take it down
      Bench  run the benchmarks in bench/: fan-out, held sessions, VPN onboarding (prints figures; not a test)
      Clean  remove build output
    Test, Demo and Bench need root on Linux: the lab uses network namespaces.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Package', 'Test', 'Demo', 'Bench', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester tags to run; all when empty.
    [string[]] $Tag = @(),

    # Number of lab hosts for Bench.
    [int] $BenchHosts = 100
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'

# Packages the test suite, the demo and the benchmark need on Debian; installed when missing
# so that a clean machine needs nothing but the .NET SDK.
$AptPackages = @{
    Test  = @('openssh-server', 'openssh-client', 'iproute2', 'sudo', 'util-linux', 'procps', 'ocserv', 'openconnect', 'openssl', 'nftables', 'python3', 'cloud-init', 'python3-yaml', 'python3-jsonschema', 'debconf', 'chromium', 'cryptsetup-bin', 'dpkg-dev', 'unattended-upgrades', 'iperf3', 'ansible')
    Demo  = @('openssh-server', 'openssh-client', 'iproute2', 'sudo', 'util-linux', 'procps', 'ocserv', 'openconnect', 'openssl', 'nftables', 'cryptsetup-bin', 'dpkg-dev', 'unattended-upgrades', 'python3')
    Bench = @('openssh-server', 'openssh-client', 'iproute2', 'sudo', 'util-linux', 'procps', 'pssh', 'ansible', 'time', 'ocserv', 'openconnect', 'openssl')
}

function Get-ModuleVersion {
    [xml] $props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $version = $props.Project.PropertyGroup.ModuleVersion | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'ModuleVersion is missing from Directory.Build.props.' }
    return $version
}

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Install-AptPackage {
    param([string[]] $Name)
    Import-Module (Join-Path $Root 'build/support/AptPackages.psm1') -Force
    Install-MissingAptPackage -Name $Name
}

function Get-PesterModulePath {
    $toolsProject = Join-Path $Root 'build/Tools.csproj'
    Invoke-Native dotnet @('restore', $toolsProject, '--verbosity', 'quiet')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $psd1 = Join-Path $packages 'pester/5.9.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1)) { throw "Pester 5.9.1 was not restored to '$psd1'." }
    return $psd1
}

function Invoke-Build {
    $version = Get-ModuleVersion
    $moduleDir = Join-Path $Out "RemoteOps/$version"
    $publishDir = Join-Path $Out 'publish'
    if (Test-Path $moduleDir) { Remove-Item -Recurse -Force $moduleDir }
    if (Test-Path $publishDir) { Remove-Item -Recurse -Force $publishDir }

    # A warning fails the build: the build is kept warning-free, and the compiler's lines are shown
    # rather than returned with the module path.
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/RemoteOps/RemoteOps.csproj'), '-c', $Configuration, '-o', $publishDir, '--nologo', '--verbosity', 'quiet', '-p:TreatWarningsAsErrors=true') | Out-Host

    # Only the cmdlet assembly and the loader sit beside the manifest; Core and every third-party assembly go
    # to Dependencies/, where PowerShell's own probing never finds them (see src/RemoteOps.Loader/DependencyIsolation.cs).
    $dependencies = New-Item -ItemType Directory -Force (Join-Path $moduleDir 'Dependencies')
    $rootAssemblies = @('RemoteOps.dll', 'RemoteOps.Loader.dll')
    $rootAssemblies | ForEach-Object { Copy-Item (Join-Path $publishDir $_) $moduleDir }
    Get-ChildItem $publishDir -Filter *.dll |
        Where-Object { $_.Name -notin $rootAssemblies -and $_.Name -ne 'System.Management.Automation.dll' } |
        Copy-Item -Destination $dependencies

    Copy-Item (Join-Path $Root 'module/*.ps1xml') $moduleDir
    $manifestPath = Join-Path $moduleDir 'RemoteOps.psd1'
    $manifest = Get-Content -Raw (Join-Path $Root 'module/RemoteOps.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content -Path $manifestPath -Value ($manifest -replace 'CmdletsToExport\s*=\s*@\(\)', "CmdletsToExport      = '*'") -Encoding utf8NoBOM

    # The exported cmdlet list is read from the compiled module itself, so the manifest never
    # lists a cmdlet that does not exist or misses one that does; the help is built in the same
    # child process (the build session must not hold the module's assemblies open).
    $cmdlets = Build-Help -ModuleDir $moduleDir
    $cmdletList = ($cmdlets | Sort-Object | ForEach-Object { "'$_'" }) -join ', '
    Set-Content -Path $manifestPath -Value ($manifest -replace 'CmdletsToExport\s*=\s*@\(\)', "CmdletsToExport      = @($cmdletList)") -Encoding utf8NoBOM
    Write-Host "Module built: $moduleDir"
    return (Join-Path $moduleDir 'RemoteOps.psd1')
}

function Invoke-Package {
    $moduleDir = Split-Path -Parent (Invoke-Build)
    Import-Module (Join-Path $Root 'build/support/ModulePackage.psm1') -Force
    $package = New-RoModulePackage -ModuleDirectory $moduleDir -OutputDirectory (Join-Path $Out 'packages')
    Write-Host "Package built: $($package.FullName)"
}

function Build-Help {
    param([string] $ModuleDir)
    $helpDir = New-Item -ItemType Directory -Force (Join-Path $ModuleDir 'en-US')
    Copy-Item (Join-Path $Root 'docs/about/*.help.txt') $helpDir -ErrorAction SilentlyContinue
    $builder = Join-Path $Root 'build/help/HelpBuilder.psm1'
    $docs = Join-Path $Root 'docs/cmdlets'
    $helpFile = Join-Path $helpDir 'RemoteOps.dll-Help.xml'
    $script = "`$ErrorActionPreference = 'Stop'; Import-Module '$builder'; Import-Module '$(Join-Path $ModuleDir 'RemoteOps.psd1')'; " +
        "Build-RoMamlHelp -ModuleName RemoteOps -DocsPath '$docs' -OutputPath '$helpFile' | Out-Null; " +
        "(Get-Command -Module RemoteOps -CommandType Cmdlet).Name | ForEach-Object { 'cmdlet:' + `$_ }"
    $output = & dotnet pwsh -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "Building the help failed (exit code $LASTEXITCODE)." }
    $names = @($output | Where-Object { $_ -like 'cmdlet:*' } | ForEach-Object { $_.Substring(7) })
    if ($names.Count -eq 0) { throw 'The built module exports no cmdlets.' }
    return $names
}

function Invoke-XunitTests {
    $results = Join-Path $Out 'test-results'
    New-Item -ItemType Directory -Force $results | Out-Null
    $trx = Join-Path $results 'core.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    & dotnet test (Join-Path $Root 'tests/RemoteOps.Core.Tests/RemoteOps.Core.Tests.csproj') -c $Configuration --nologo `
        --logger "trx;LogFileName=core.trx" --logger 'console;verbosity=minimal' --results-directory $results | Out-Host
    if (-not (Test-Path $trx)) {
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    [xml] $report = Get-Content -Raw $trx
    $counters = $report.TestRun.ResultSummary.Counters
    # Read by local names: under strict mode a result without <Output> (a time-out, a crashed
    # test host) must not stop the script before it prints the totals.
    $failures = @($report.SelectNodes("//*[local-name()='UnitTestResult']") | Where-Object { $_.GetAttribute('outcome') -notin 'Passed', 'NotExecuted' } | ForEach-Object {
            $message = $_.SelectSingleNode("*[local-name()='Output']/*[local-name()='ErrorInfo']/*[local-name()='Message']")
            [pscustomobject]@{ Name = $_.GetAttribute('testName'); Message = if ($message) { $message.InnerText } else { $_.GetAttribute('outcome') } }
        })
    return [pscustomobject]@{
        Passed   = [int] $counters.passed
        Failed   = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped  = [int] $counters.notExecuted
        Failures = $failures
    }
}

function Invoke-PesterTests {
    param([string] $ModulePath)
    $pester = Get-PesterModulePath
    $summary = Join-Path $Out 'test-results/pester.json'
    if (Test-Path $summary) { Remove-Item $summary }
    $runner = Join-Path $Root 'tests/Invoke-PesterSuite.ps1'
    $arguments = @('pwsh', '-NoProfile', '-NonInteractive', '-File', $runner, '-PesterPath', $pester, '-ModulePath', $ModulePath, '-SummaryPath', $summary)
    if ($Tag) { $arguments += @('-Tag', ($Tag -join ',')) }
    & dotnet @arguments | Out-Host
    if (-not (Test-Path $summary)) {
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    return Get-Content -Raw $summary | ConvertFrom-Json
}

function Build-Emulators {
    # The REST emulators of closed appliances (lab/Emulators) that the Pester suite starts on loopback.
    Invoke-Native dotnet @('build', (Join-Path $Root 'lab/Emulators/RemoteOps.Lab.Emulators.csproj'), '-c', 'Release', '--nologo', '--verbosity', 'quiet')
}

function Invoke-Test {
    Install-AptPackage $AptPackages.Test
    $modulePath = Invoke-Build
    Build-Emulators
    $xunit = Invoke-XunitTests
    $pester = Invoke-PesterTests -ModulePath $modulePath
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    # The xunit failures again, after Pester's long output, so that a log's tail shows them too
    # (Pester's runner writes its own recap).
    if ($xunit.PSObject.Properties['Failures']) {
        Import-Module (Join-Path $Root 'tests/support/FailureRecap.psm1') -Force
        Write-FailureRecap -Suite xunit -Failure $xunit.Failures
    }
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped" -f $xunit.Passed, $xunit.Failed, $xunit.Skipped)
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $pester.Passed, $pester.Failed, $pester.Skipped)
    # The last line is the totals and nothing else; skipped tests are counted on the lines above.
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

# The demo's steps, in the order they run. Each one shows one capability against the lab that
# Invoke-Demo brings up: a heading, then its example script in a fresh pwsh, which fails the step
# with a non-zero exit code. A new capability adds its step (and its script in examples/) here.
function Get-DemoStep {
    param([Parameter(Mandatory)] $Lab)
    [pscustomobject]@{
        Title     = 'SSH fan-out: roll a VPN client profile out to 20 hosts'
        Script    = 'examples/Invoke-LabRollout.ps1'
        Arguments = @('-ModulePath', $Lab.ModulePath, '-InventoryPath', $Lab.InventoryPath)
    }
    [pscustomobject]@{
        Title     = 'VPN onboarding: 10 staff from a CSV to ocserv and Connect Secure, twice'
        Script    = 'examples/Invoke-LabVpnOnboarding.ps1'
        Arguments = @('-ModulePath', $Lab.ModulePath, '-CsvPath', (Join-Path $Root 'examples/staff.sample.csv'),
            '-InventoryPath', $Lab.InventoryPath, '-OcservPath', $Lab.OcservPath, '-ConnectSecurePath', $Lab.ConnectSecurePath,
            '-OcservLab', $Lab.Name, '-OcservClientHost', '2')
    }
    [pscustomobject]@{
        Title     = 'Help desk: why can''t they sign in? Two callers, two causes, one command each'
        Script    = 'examples/Invoke-LabHelpDesk.ps1'
        Arguments = @('-ModulePath', $Lab.ModulePath, '-InventoryPath', $Lab.InventoryPath, '-OcservPath', $Lab.OcservPath)
    }
    [pscustomobject]@{
        Title     = 'Laptop compliance: the nightly report for six lab laptops, as HTML to open in a browser'
        Script    = 'examples/Invoke-LabLaptopCompliance.ps1'
        Arguments = @('-ModulePath', $Lab.ModulePath, '-OutputFolder', (Join-Path $Out 'demo-reports'))
    }
    [pscustomobject]@{
        Title     = 'Firewall: a policy on an nftables firewall, planned, proven with real connections, unchanged on a second run'
        Script    = 'examples/Invoke-LabFirewall.ps1'
        Arguments = @('-ModulePath', $Lab.ModulePath, '-InventoryPath', $Lab.InventoryPath, '-LabName', $Lab.Name, '-FirewallHost', '20')
    }
}

function Invoke-Demo {
    Install-AptPackage $AptPackages.Demo
    $modulePath = Invoke-Build
    Build-Emulators
    # The emulator helpers of the test suite: the demo starts the emulator exactly as the tests do.
    $env:REMOTEOPS_REPO_ROOT = $Root
    Import-Module (Join-Path $Root 'tests/pester/EmulatorFixture.psm1') -Force
    $labName = 'rodemo'
    $labDir = Join-Path $Out 'demo-lab'
    $emulator = $null
    $results = [System.Collections.Generic.List[object]]::new()
    try {
        Write-Host ''
        Write-Host 'Setting up the lab: 20 SSH hosts in network namespaces (198.18.2.0/24), ocserv on the first,'
        Write-Host 'the Connect Secure emulator on loopback. Nothing else on the network is contacted.'
        Invoke-Native bash @((Join-Path $Root 'lab/lab.sh'), 'up', '--name', $labName, '--hosts', '20', '--subnet', '2', '--dir', $labDir) | Out-Null
        Invoke-Native bash @((Join-Path $Root 'lab/ocserv.sh'), 'up', '--name', $labName, '--host', '1', '--dir', $labDir) | Out-Null
        $emulator = Start-ApplianceEmulator -Kind ics
        $lab = [pscustomobject]@{
            Name              = $labName
            ModulePath        = $modulePath
            InventoryPath     = Join-Path $labDir 'inventory.json'
            OcservPath        = Join-Path $labDir 'ocserv.json'
            ConnectSecurePath = Join-Path $emulator.StateDirectory 'endpoint.json'
        }
        $steps = @(Get-DemoStep -Lab $lab)
        $number = 0
        foreach ($step in $steps) {
            $number++
            Write-Host ''
            Write-Host ("Step {0} of {1}: {2}" -f $number, $steps.Count, $step.Title)
            Write-Host ('-' * 100)
            $started = [DateTime]::UtcNow
            & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root $step.Script) @($step.Arguments)
            $results.Add([pscustomobject]@{
                    Step    = $number
                    Title   = $step.Title
                    Result  = if ($LASTEXITCODE -eq 0) { 'passed' } else { "FAILED (exit code $LASTEXITCODE)" }
                    Seconds = [math]::Round(([DateTime]::UtcNow - $started).TotalSeconds, 1)
                })
        }
    }
    finally {
        if ($emulator) { Stop-ApplianceEmulator -Emulator $emulator }
        & bash (Join-Path $Root 'lab/ocserv.sh') down --name $labName --dir $labDir 2>&1 | Out-Null
        & bash (Join-Path $Root 'lab/firewall.sh') down --name $labName --host 20 2>&1 | Out-Null
        & bash (Join-Path $Root 'lab/lab.sh') down --name $labName --dir $labDir 2>&1 | Out-Null
    }
    Write-Host ''
    Write-Host 'Demo summary (the lab, ocserv and the emulator are gone again)'
    $results | Format-Table -AutoSize | Out-String -Width 200 | ForEach-Object TrimEnd | Write-Host
    $failed = @($results | Where-Object Result -ne 'passed')
    if ($failed) { throw "$($failed.Count) demo step(s) failed: $($failed.Title -join '; ')." }
}

function Invoke-Bench {
    Install-AptPackage $AptPackages.Bench
    $modulePath = Invoke-Build
    Build-Emulators
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'bench/Invoke-FanOutBenchmark.ps1') -ModulePath $modulePath -HostCount $BenchHosts
    if ($LASTEXITCODE -ne 0) { throw "The fan-out benchmark failed (exit code $LASTEXITCODE)." }
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'bench/Invoke-HeldSessionBenchmark.ps1') -ModulePath $modulePath -HostCount $BenchHosts
    if ($LASTEXITCODE -ne 0) { throw "The held-session benchmark failed (exit code $LASTEXITCODE)." }
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'bench/Invoke-VpnOnboardingBenchmark.ps1') -ModulePath $modulePath
    if ($LASTEXITCODE -ne 0) { throw "The VPN onboarding benchmark failed (exit code $LASTEXITCODE)." }
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'bench/Invoke-RemoteAccessBenchmark.ps1') -ModulePath $modulePath
    if ($LASTEXITCODE -ne 0) { throw "The remote-access diagnosis benchmark failed (exit code $LASTEXITCODE)." }
}

function Invoke-Clean {
    foreach ($path in @($Out) + (Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj).FullName) {
        if ($path -and (Test-Path $path)) { Remove-Item -Recurse -Force $path }
    }
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' { Invoke-Build | Out-Null }
        'Package' { Invoke-Package }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Clean' { Invoke-Clean }
    }
}
