# Packs the built module into a .nupkg with PSResourceGet (Publish-PSResource to a folder
# registered as a file repository), and installs from such a folder. Used by build.ps1 Package and
# by tests/pester/Package.Tests.ps1.
#
# PSResourceGet keeps its repository registrations in a per-user file. Every call here runs
# PSResourceGet in a child pwsh that registers a repository of its own under a unique name and
# unregisters it in a finally block; on Linux the child also gets a temporary
# XDG_DATA_HOME, so the registration file it writes is a throwaway one and the user's is never
# opened. No network: the repository is a local folder.

Set-StrictMode -Version Latest

# The files of the built module that may go into the package (paths relative to the module folder);
# anything else there (a symbol file, an object folder, a test result) stops the packaging.
$script:AllowedFile = @('^[^/]+\.(psd1|dll|ps1xml)$', '^Dependencies/[^/]+\.dll$', '^en-US/[^/]+(\.help\.txt|-Help\.xml)$')

# Runs $Script in a fresh pwsh (the one running this code) with PSResourceGet and a temporary file
# repository named $RepositoryName at $RepositoryPath; returns the output lines, throws on failure.
function Invoke-RoIsolatedPSResourceGet {
    param(
        [Parameter(Mandatory)] [string] $RepositoryPath,
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $ArgumentList = @()
    )
    $scratch = Join-Path ([System.IO.Path]::GetTempPath()) ('remoteops-psresourceget-' + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Force -Path $scratch | Out-Null
    try {
        $child = Join-Path $scratch 'child.ps1'
        $wrapper = @'
param([string] $RepositoryName, [string] $RepositoryPath)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module Microsoft.PowerShell.PSResourceGet
Register-PSResourceRepository -Name $RepositoryName -Uri $RepositoryPath -Trusted
try {
    & {
'@ + "`n" + $Script + "`n" + @'
    } @args
}
finally {
    Unregister-PSResourceRepository -Name $RepositoryName
}
'@
        Set-Content -LiteralPath $child -Value $wrapper -Encoding utf8NoBOM

        $exe = [Environment]::ProcessPath
        $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
        # Under 'dotnet pwsh' the process is dotnet itself: name pwsh.dll to start the same pwsh.
        if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $child,
                ('RemoteOpsBuild-' + [guid]::NewGuid().ToString('n').Substring(0, 12)), $RepositoryPath) + $ArgumentList) {
            $start.ArgumentList.Add($a)
        }
        if ($IsLinux) {
            # It must exist: .NET reports a missing data folder as '', and PSResourceGet would then
            # write its registrations relative to the working directory.
            $start.Environment['XDG_DATA_HOME'] = (New-Item -ItemType Directory -Force -Path (Join-Path $scratch 'data')).FullName
        }
        $start.WorkingDirectory = $scratch
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($start)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        $output = $stdout.GetAwaiter().GetResult()
        $errors = $stderr.GetAwaiter().GetResult()
        if ($process.ExitCode -ne 0) {
            throw "PSResourceGet failed (exit code $($process.ExitCode)): $($errors.Trim()) $($output.Trim())"
        }
        return @($output -split '\r?\n' | Where-Object { $_ })
    }
    finally {
        Remove-Item -LiteralPath $scratch -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function New-RoModulePackage {
    <#
    .SYNOPSIS
        Packs a built module folder (out/RemoteOps/<version>) into <OutputDirectory>/<Name>.<version>.nupkg.
    .DESCRIPTION
        Checks that the folder holds only module files and that the manifest has what a gallery shows
        (Author, Description, Tags, LicenseUri), then publishes the folder with Publish-PSResource to
        OutputDirectory, registered as a temporary file repository. An older package of the same
        version in OutputDirectory is replaced. Returns the package file.
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [string] $OutputDirectory
    )
    $moduleDir = (Resolve-Path -LiteralPath $ModuleDirectory).ProviderPath
    $manifestFile = @(Get-ChildItem -LiteralPath $moduleDir -Filter '*.psd1' -File)
    if ($manifestFile.Count -ne 1) { throw "'$moduleDir' must hold exactly one module manifest (*.psd1); it holds $($manifestFile.Count)." }
    $name = $manifestFile[0].BaseName
    $manifest = Import-PowerShellDataFile -LiteralPath $manifestFile[0].FullName
    $psData = if ($manifest.ContainsKey('PrivateData') -and $manifest.PrivateData.ContainsKey('PSData')) { $manifest.PrivateData.PSData } else { @{} }
    $missing = @(
        foreach ($key in 'ModuleVersion', 'Author', 'Description') { if (-not $manifest[$key]) { $key } }
        foreach ($key in 'Tags', 'LicenseUri') { if (-not $psData[$key]) { "PrivateData.PSData.$key" } }
    )
    if ($missing) { throw "The manifest '$($manifestFile[0].FullName)' lacks what a package needs: $($missing -join ', ')." }

    $stray = @(Get-ChildItem -LiteralPath $moduleDir -Recurse -File | ForEach-Object {
            $relative = [System.IO.Path]::GetRelativePath($moduleDir, $_.FullName).Replace('\', '/')
            if (-not @($script:AllowedFile | Where-Object { $relative -match $_ }).Count) { $relative }
        } | Sort-Object)
    if ($stray) { throw "'$moduleDir' holds files that are not part of the module: $($stray -join ', '). Rebuild it with build.ps1 Build." }

    New-Item -ItemType Directory -Force -Path $OutputDirectory | Out-Null
    $output = (Resolve-Path -LiteralPath $OutputDirectory).ProviderPath
    $package = Join-Path $output "$name.$($manifest.ModuleVersion).nupkg"
    # A file repository refuses a version it already has.
    if (Test-Path -LiteralPath $package) { Remove-Item -LiteralPath $package -Force }
    Invoke-RoIsolatedPSResourceGet -RepositoryPath $output -ArgumentList $moduleDir -Script @'
param([string] $ModuleDirectory)
Publish-PSResource -Path $ModuleDirectory -Repository $RepositoryName
'@ | Write-Verbose
    if (-not (Test-Path -LiteralPath $package)) { throw "Publish-PSResource wrote no '$package'." }
    Get-Item -LiteralPath $package
}

function Save-RoModuleFromRepository {
    <#
    .SYNOPSIS
        Installs a module from a folder of .nupkg files into DestinationPath (Save-PSResource -Path), never into the user's module path.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $RepositoryPath,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $DestinationPath
    )
    New-Item -ItemType Directory -Force -Path $DestinationPath | Out-Null
    $destination = (Resolve-Path -LiteralPath $DestinationPath).ProviderPath
    $repository = (Resolve-Path -LiteralPath $RepositoryPath).ProviderPath
    Invoke-RoIsolatedPSResourceGet -RepositoryPath $repository -ArgumentList $Name, $destination -Script @'
param([string] $Name, [string] $DestinationPath)
Save-PSResource -Name $Name -Repository $RepositoryName -Path $DestinationPath -TrustRepository
'@ | Write-Verbose
}

Export-ModuleMember -Function New-RoModulePackage, Save-RoModuleFromRepository
