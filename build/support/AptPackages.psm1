<#
.SYNOPSIS
    Finds and installs the Debian packages that the build's tasks need.
.DESCRIPTION
    Kept apart from build.ps1 so that the check itself is tested (tests/pester/BuildSupport.Tests.ps1):
    a package that was never installed must count as missing, not only the packages of the machine
    the suite happened to run on.
#>

Set-StrictMode -Version Latest

function Get-AptPackageState {
    <#
    .SYNOPSIS
        Returns 'installed' or 'missing' for one Debian package, from dpkg's own status database.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [string] $Name)

    # dpkg-query prints nothing (and exits 1) for a package it has never seen; an empty answer must
    # read as missing, so the status text is joined into one string before it is matched.
    $status = (& dpkg-query -W -f='${Status}' -- $Name 2>$null) -join ' '
    if ($LASTEXITCODE -eq 0 -and $status -match '\binstall ok installed\b') {
        return 'installed'
    }

    return 'missing'
}

function Get-MissingAptPackage {
    <#
    .SYNOPSIS
        Returns the names, out of those given, of the Debian packages that are not installed.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Name)

    foreach ($package in $Name) {
        if ((Get-AptPackageState -Name $package) -ne 'installed') {
            $package
        }
    }
}

# Answers given to debconf before a package is installed, where the package's default would change
# how the machine itself behaves. unattended-upgrades is installed for what lab laptops read from
# the dpkg database (the lab roots see the build machine's packages); by default it also switches
# on automatic upgrades of the build machine, which must not start upgrading under a test run.
$script:DebconfAnswers = @{
    'unattended-upgrades' = @('unattended-upgrades unattended-upgrades/enable_auto_updates boolean false')
}

function Get-AptDebconfAnswer {
    <#
    .SYNOPSIS
        Returns the debconf selections (debconf-set-selections lines) to set before installing the given packages.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Name)
    foreach ($package in $Name) {
        if ($script:DebconfAnswers.ContainsKey($package)) {
            $script:DebconfAnswers[$package]
        }
    }
}

function Install-MissingAptPackage {
    <#
    .SYNOPSIS
        Installs with apt-get whichever of the given Debian packages are missing; a no-op when none are.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Name)

    if (-not $IsLinux) { return }
    $missing = @(Get-MissingAptPackage -Name $Name)
    if ($missing.Count -eq 0) { return }
    Write-Host "Installing Debian packages: $($missing -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq
    if ($LASTEXITCODE -ne 0) { throw "'apt-get update' failed with exit code $LASTEXITCODE." }
    $answers = @(Get-AptDebconfAnswer -Name $missing)
    if ($answers.Count -gt 0) {
        $answers | & debconf-set-selections
        if ($LASTEXITCODE -ne 0) { throw "'debconf-set-selections' failed with exit code $LASTEXITCODE." }
    }
    & apt-get install -y -qq --no-install-recommends @missing
    if ($LASTEXITCODE -ne 0) { throw "'apt-get install $($missing -join ' ')' failed with exit code $LASTEXITCODE." }

    $stillMissing = @(Get-MissingAptPackage -Name $missing)
    if ($stillMissing.Count -gt 0) {
        throw "apt-get finished but these packages are still not installed: $($stillMissing -join ' ')."
    }
}

Export-ModuleMember -Function Get-AptPackageState, Get-MissingAptPackage, Get-AptDebconfAnswer, Install-MissingAptPackage
