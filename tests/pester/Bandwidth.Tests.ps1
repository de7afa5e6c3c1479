#requires -Version 7.2
# The bandwidth cmdlets and the LinuxTc driver's registration, without a device: what is refused
# before anything is contacted, and the errors when there is no connection. The driver against a
# real gateway is in Bandwidth.Lab.Tests.ps1.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force

    # Nothing listens on the discard port: a check made before connecting never gets that far.
    $script:Nowhere = '127.0.0.1:9'
    $script:Classes = @(
        @{ Name = 'vpn'; GuaranteedRate = '20mbit'; Protocol = 'Udp'; Ports = 443 }
        @{ Name = 'other'; GuaranteedRate = '5mbit'; Default = $true }
    )

    function Get-ThrownRecord([scriptblock] $Script) {
        try { & $Script; return $null } catch { return $_ }
    }
}

Describe 'The LinuxTc driver registration' -Tag 'Bandwidth' {
    It 'is listed with its transport, capability and settings' {
        $driver = Get-RoApplianceDriver -Name LinuxTc
        $driver.Transport | Should -Be 'Ssh'
        $driver.Capabilities | Should -Be 'Bandwidth'
        $driver.Settings.Name | Should -Be @('Interface', 'TableName', 'UseSudo')
    }

    It 'refuses a connection without interfaces before contacting the host' {
        $record = Get-ThrownRecord { Connect-RoAppliance -Driver LinuxTc -Address $Nowhere -UserName ops }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidArgument,RemoteOps.Commands.ConnectRoApplianceCommand'
        $record.Exception.Message | Should -BeLike '*needs the interfaces to shape*'
    }

    It 'refuses an interface name tc and nft cannot take safely' {
        $record = Get-ThrownRecord { Connect-RoAppliance -Driver LinuxTc -Address $Nowhere -UserName ops -Option @{ Interface = 'eth1;reboot' } }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidArgument,RemoteOps.Commands.ConnectRoApplianceCommand'
        $record.Exception.Message | Should -BeLike "*Interface 'eth1;reboot' is not a valid Linux interface name*"
    }
}

Describe 'Set-RoBandwidthPolicy and Get-RoBandwidthPolicy without a device' -Tag 'Bandwidth' {
    It 'refuses bad classes before looking for a connection' {
        $record = Get-ThrownRecord { Set-RoBandwidthPolicy -LinkRate 10mbit -Class $Classes -Confirm:$false }
        $record.FullyQualifiedErrorId | Should -Be 'BandwidthInvalidClass,RemoteOps.Commands.SetRoBandwidthPolicyCommand'
        $record.Exception.Message | Should -BeLike "*Class 'vpn': GuaranteedRate '20mbit' is above its CeilingRate 10Mbit*"
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'names an unknown key of a class' {
        $record = Get-ThrownRecord { Set-RoBandwidthPolicy -LinkRate 50mbit -Class @{ Name = 'x'; Rate = '1mbit' } -Confirm:$false }
        $record.FullyQualifiedErrorId | Should -Be 'BandwidthInvalidClass,RemoteOps.Commands.SetRoBandwidthPolicyCommand'
        $record.Exception.Message | Should -BeLike '*unknown key "Rate"*'
    }

    It 'accepts classes from the pipeline, then needs a connection' {
        $record = Get-ThrownRecord { $Classes | Set-RoBandwidthPolicy -LinkRate 50mbit -Confirm:$false }
        $record.FullyQualifiedErrorId | Should -Be 'NoBandwidthConnection,RemoteOps.Commands.SetRoBandwidthPolicyCommand'
    }

    It 'says there is no connection that offers Bandwidth' {
        $record = Get-ThrownRecord { Get-RoBandwidthPolicy }
        $record.FullyQualifiedErrorId | Should -Be 'NoBandwidthConnection,RemoteOps.Commands.GetRoBandwidthPolicyCommand'
    }

    It 'names a missing policy file' {
        $record = Get-ThrownRecord { Set-RoBandwidthPolicy -Path (Join-Path $TestDrive 'nope.json') -Confirm:$false }
        $record.FullyQualifiedErrorId | Should -Be 'BandwidthPolicyFileUnreadable,RemoteOps.Commands.SetRoBandwidthPolicyCommand'
    }
}
