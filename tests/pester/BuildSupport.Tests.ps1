# The install step of the README's test command: a package that was never installed must be
# reported missing, so that a fresh machine gets everything the suite needs.
BeforeAll {
    Import-Module (Join-Path $env:REMOTEOPS_REPO_ROOT 'build/support/AptPackages.psm1') -Force
}

Describe 'Finding missing Debian packages' -Skip:(-not $IsLinux) {
    It 'reports a package that does not exist as missing' {
        Get-AptPackageState -Name 'remoteops-no-such-package-7f3a' | Should -Be 'missing'
        @(Get-MissingAptPackage -Name 'remoteops-no-such-package-7f3a') | Should -Be @('remoteops-no-such-package-7f3a')
    }

    It 'reports an installed package as installed' {
        # dpkg itself is installed on every Debian system.
        Get-AptPackageState -Name 'dpkg' | Should -Be 'installed'
    }

    It 'returns only the missing ones from a mixed list, in order' {
        @(Get-MissingAptPackage -Name 'dpkg', 'remoteops-missing-a', 'coreutils', 'remoteops-missing-b') |
            Should -Be @('remoteops-missing-a', 'remoteops-missing-b')
    }

    It 'returns nothing for an empty list' {
        @(Get-MissingAptPackage -Name @()).Count | Should -Be 0
    }
}

Describe 'Answers given to debconf before an install' -Skip:(-not $IsLinux) {
    It 'keeps automatic upgrades of the build machine off when unattended-upgrades is installed' {
        $answers = @(Get-AptDebconfAnswer -Name 'openssh-server', 'unattended-upgrades')
        $answers | Should -Be @('unattended-upgrades unattended-upgrades/enable_auto_updates boolean false')
    }

    It 'gives answers that debconf-set-selections reads as valid' {
        $answers = @(Get-AptDebconfAnswer -Name 'unattended-upgrades')
        $answers | & debconf-set-selections -c
        $LASTEXITCODE | Should -Be 0
    }

    It 'gives no answers for packages that need none' {
        @(Get-AptDebconfAnswer -Name 'openssh-server', 'ocserv').Count | Should -Be 0
    }
}
