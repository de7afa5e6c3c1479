#requires -Version 7.2
# build.ps1 Package end to end: the built module packed into a .nupkg with PSResourceGet, saved from
# a local file repository into an empty module folder, and imported by name in a fresh pwsh.
# No network, and the user's PSResourceGet registrations and module path are never touched.

BeforeAll {
    Import-Module (Join-Path $env:REMOTEOPS_REPO_ROOT 'build/support/ModulePackage.psm1') -Force
    $script:ModuleDir = Split-Path $env:REMOTEOPS_MODULE_PATH
    $script:Manifest = Import-PowerShellDataFile $env:REMOTEOPS_MODULE_PATH
    $script:Version = $Manifest.ModuleVersion

    # PSResourceGet's per-user registration file: compared byte for byte before and after.
    $script:RegistrationFile = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
    function Get-RegistrationState {
        if (Test-Path -LiteralPath $RegistrationFile) { (Get-FileHash -LiteralPath $RegistrationFile -Algorithm SHA256).Hash } else { 'absent' }
    }
    $script:RegistrationBefore = Get-RegistrationState
    # Where a PSResourceGet that lost its data folder would write instead: the working directory.
    $script:StrayFolder = Join-Path (Get-Location).ProviderPath 'PSResourceGet'
    $script:StrayBefore = Test-Path -LiteralPath $StrayFolder

    $script:Repository = Join-Path $TestDrive 'repository'
    $script:Package = New-RoModulePackage -ModuleDirectory $ModuleDir -OutputDirectory $Repository
    $script:Modules = Join-Path $TestDrive 'modules'
    Save-RoModuleFromRepository -RepositoryPath $Repository -Name RemoteOps -DestinationPath $Modules

    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [System.IO.Compression.ZipFile]::OpenRead($Package.FullName)
    try {
        $script:Entries = @($zip.Entries | ForEach-Object FullName)
        $reader = [System.IO.StreamReader]::new(($zip.Entries | Where-Object FullName -eq 'RemoteOps.nuspec').Open())
        $script:Nuspec = [xml] $reader.ReadToEnd()
        $reader.Dispose()
    }
    finally { $zip.Dispose() }

    # A fresh pwsh -NoProfile whose module path is only $Modules and the built-in modules: the user
    # module path pwsh adds by itself points, on Linux, into an empty temporary folder (XDG_DATA_HOME).
    function Invoke-CleanPwsh {
        param([Parameter(Mandatory)] [string] $Command)
        $exe = [Environment]::ProcessPath
        $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
        if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $start.ArgumentList.Add($a) }
        $start.Environment['PSModulePath'] = $Modules + [System.IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
        if ($IsLinux) { $start.Environment['XDG_DATA_HOME'] = (New-Item -ItemType Directory -Force -Path (Join-Path $TestDrive 'empty-user-data')).FullName }
        $start.WorkingDirectory = $TestDrive
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.GetAwaiter().GetResult() + $stderr.GetAwaiter().GetResult() }
    }
}

Describe 'Packing the built module' -Tag 'CI' {
    It 'writes RemoteOps.(version).nupkg into the output folder' {
        $Package.Name | Should -Be "RemoteOps.$Version.nupkg"
        $Package.DirectoryName | Should -Be (Resolve-Path $Repository).ProviderPath
    }

    It 'holds every file of the built module and nothing of the build' {
        $moduleFiles = @(Get-ChildItem -LiteralPath $ModuleDir -Recurse -File |
                ForEach-Object { [System.IO.Path]::GetRelativePath($ModuleDir, $_.FullName).Replace('\', '/') })
        $packaged = @($Entries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|RemoteOps\.nuspec$)' })
        ($packaged | Sort-Object) | Should -Be ($moduleFiles | Sort-Object)
        $packaged | Should -Contain 'Dependencies/RemoteOps.Core.dll'
        $packaged | Should -Contain 'en-US/RemoteOps.dll-Help.xml'
        @($Entries | Where-Object { $_ -match '\.pdb$|(^|/)(obj|bin)/|\.Tests?\.' }) | Should -BeNullOrEmpty
    }

    It 'carries what a gallery shows: id, version, authors, description, tags, licence' {
        $meta = $Nuspec.package.metadata
        $meta.id | Should -Be 'RemoteOps'
        $meta.version | Should -Be $Version
        $meta.authors | Should -Be $Manifest.Author
        $meta.description | Should -Be $Manifest.Description
        $meta.licenseUrl | Should -Be $Manifest.PrivateData.PSData.LicenseUri
        foreach ($tag in $Manifest.PrivateData.PSData.Tags) { ($meta.tags -split ' ') | Should -Contain $tag }
    }

    It 'refuses a module folder with build leftovers in it, naming them' {
        $copy = Join-Path $TestDrive 'with-leftovers/RemoteOps'
        Copy-Item -Recurse $ModuleDir $copy
        Set-Content (Join-Path $copy 'RemoteOps.pdb') 'symbols'
        New-Item -ItemType Directory (Join-Path $copy 'obj') | Out-Null
        Set-Content (Join-Path $copy 'obj/project.assets.json') '{}'
        { New-RoModulePackage -ModuleDirectory $copy -OutputDirectory (Join-Path $TestDrive 'refused') } |
            Should -Throw -ExpectedMessage '*not part of the module: obj/project.assets.json, RemoteOps.pdb*'
        Test-Path (Join-Path $TestDrive 'refused/RemoteOps.*.nupkg') | Should -BeFalse
    }

    It 'refuses a manifest without the metadata a gallery needs' {
        $copy = Join-Path $TestDrive 'no-description/RemoteOps'
        Copy-Item -Recurse $ModuleDir $copy
        $psd1 = Join-Path $copy 'RemoteOps.psd1'
        (Get-Content -Raw $psd1) -replace "(?m)^\s*Description\s*=.*$", '' -replace "(?m)^\s*LicenseUri\s*=.*$", '' | Set-Content $psd1
        { New-RoModulePackage -ModuleDirectory $copy -OutputDirectory (Join-Path $TestDrive 'refused') } |
            Should -Throw -ExpectedMessage '*lacks what a package needs: Description, PrivateData.PSData.LicenseUri*'
    }
}

Describe 'Installing from a local file repository' -Tag 'CI' {
    It 'saves the module into the given empty folder as RemoteOps/(its version)' {
        Test-Path -LiteralPath (Join-Path $Modules "RemoteOps/$Version/RemoteOps.psd1") | Should -BeTrue
        @(Get-ChildItem -LiteralPath $Modules -Directory).Name | Should -Be @('RemoteOps')
    }

    It 'imports by name in a fresh pwsh and lists the cmdlets, with their help' {
        $run = Invoke-CleanPwsh -Command @'
$ErrorActionPreference = 'Stop'
Import-Module RemoteOps
'BASE=' + (Get-Module RemoteOps).ModuleBase
(Get-Command -Module RemoteOps | Sort-Object Name).Name | ForEach-Object { 'CMDLET=' + $_ }
'SYNOPSIS=' + (Get-Help Invoke-RoSshCommand).Synopsis
'@
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match ('(?m)^BASE=' + [regex]::Escape((Join-Path (Resolve-Path $Modules).ProviderPath "RemoteOps/$Version")) + '\s*$')
        $cmdlets = @([regex]::Matches($run.Output, '(?m)^CMDLET=(\S+)') | ForEach-Object { $_.Groups[1].Value })
        $cmdlets | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
        $run.Output | Should -Match '(?m)^SYNOPSIS=Runs one command line on many Linux hosts'
    }

    It 'leaves the user''s PSResourceGet registrations as they were, also after a failed install' {
        { Save-RoModuleFromRepository -RepositoryPath $Repository -Name 'RemoteOpsNoSuchModule' -DestinationPath (Join-Path $TestDrive 'none') } |
            Should -Throw -ExpectedMessage '*PSResourceGet failed*'
        Get-RegistrationState | Should -Be $RegistrationBefore
        Test-Path -LiteralPath $StrayFolder | Should -Be $StrayBefore
    }
}
