#requires -Version 7.2
# The shared appliance layer: Connect-RoAppliance through the driver registry, validated driver
# settings, capabilities, per-runspace connections and disconnection, against the lab emulators of
# Connect Secure and FortiOS (HTTPS on loopback).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Ics = Start-ApplianceEmulator -Kind ics
    $script:Fgt = Start-ApplianceEmulator -Kind fortios
    $script:Admin = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString $Ics.adminPassword -AsPlainText -Force))
    $script:Token = [pscredential]::new('api', (ConvertTo-SecureString $Fgt.apiToken -AsPlainText -Force))

    # An address nothing listens on: a check that happens before contacting the device never reaches it.
    $script:Nowhere = 'https://127.0.0.1:9'

    function Get-ThrownRecord([scriptblock] $Script) {
        try { & $Script; return $null } catch { return $_ }
    }
}

AfterAll {
    Disconnect-RoAppliance -All
    if ($script:Ics) { Stop-ApplianceEmulator -Emulator $Ics }
    if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
}

Describe 'Get-RoApplianceDriver' -Tag 'Emulator' {
    It 'lists every registered driver with its transport, capabilities and settings' {
        $drivers = Get-RoApplianceDriver
        $drivers.Name | Should -Be @('ConnectSecure', 'ForcepointSmc', 'FortiGate', 'LinuxTc', 'Nftables', 'Ocserv', 'SecurId')
        ($drivers | Where-Object Name -eq 'Ocserv').Transport | Should -Be 'Ssh'
        (Get-RoApplianceDriver -Name connectsecure).Settings.Name | Should -Be @('AdminRealm', 'AuthServer', 'SignInRealm', 'SignInUrl')
        (Get-RoApplianceDriver -Name 'Oc*').Settings.Name | Should -Contain 'UseSudo'
    }

    It 'reports a driver name that matches nothing' {
        Get-RoApplianceDriver -Name PaloAlto -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'DriverNotFound,RemoteOps.Commands.GetRoApplianceDriverCommand'
        @(Get-RoApplianceDriver -Name 'Palo*').Count | Should -Be 0
    }
}

Describe 'Connect-RoAppliance refuses bad input before contacting anything' -Tag 'Emulator' {
    It 'names an unknown driver and the valid ones' {
        $record = Get-ThrownRecord { Connect-RoAppliance -Driver PaloAlto -Address $Nowhere -Credential $Admin }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidDriver,RemoteOps.Commands.ConnectRoApplianceCommand'
        $record.Exception.Message | Should -BeLike "*'PaloAlto' is not a RemoteOps driver. Valid drivers: ConnectSecure, ForcepointSmc, FortiGate, LinuxTc, Nftables, Ocserv, SecurId.*"
    }

    It 'needs -Credential for a REST driver, unless the driver signs in with a key file' {
        $record = Get-ThrownRecord { Connect-RoAppliance -Driver FortiGate -Address $Nowhere }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidArgument,RemoteOps.Commands.ConnectRoApplianceCommand'
        $record.Exception.Message | Should -BeLike '*FortiGate needs -Credential*'
        $record = Get-ThrownRecord { Connect-RoAppliance -Driver SecurId -Address $Nowhere }
        $record.Exception.Message | Should -BeLike '*needs AdminApiKeyFile*'
    }

    It 'names an unknown setting, the driver and its valid settings' {
        $record = Get-ThrownRecord { Connect-RoAppliance -Driver ConnectSecure -Address $Nowhere -Credential $Admin -Option @{ AdminRelm = 'Admins' } }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidDriverSetting,RemoteOps.Commands.ConnectRoApplianceCommand'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.Exception.Message | Should -BeLike "*'AdminRelm' is not a setting of the ConnectSecure driver. Valid settings: AdminRealm (string), AuthServer (string), SignInRealm (string), SignInUrl (string).*"
    }

    It 'names a setting given a value of the wrong type' {
        $record = Get-ThrownRecord { Connect-RoAppliance -Driver Ocserv -Address 127.0.0.1 -Option @{ UseSudo = 'no' } }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidDriverSetting,RemoteOps.Commands.ConnectRoApplianceCommand'
        $record.Exception.Message | Should -BeLike "*Setting 'UseSudo' of the Ocserv driver must be a bool, not a string.*"
    }

    It 'refuses a parameter of the other transport by name' {
        $record = Get-ThrownRecord { Connect-RoAppliance -Driver FortiGate -Address $Nowhere -Credential $Token -KeyFilePath $PSCommandPath }
        $record.FullyQualifiedErrorId | Should -Be 'ParameterNotForTransport,RemoteOps.Commands.ConnectRoApplianceCommand'
        $record.Exception.Message | Should -BeLike '*-KeyFilePath does not apply to the FortiGate driver, which is managed over Rest*'

        $record = Get-ThrownRecord { Connect-RoAppliance -Driver Ocserv -Address 127.0.0.1 -PublicKeyPin $Ics.spkiSha256 }
        $record.FullyQualifiedErrorId | Should -Be 'ParameterNotForTransport,RemoteOps.Commands.ConnectRoApplianceCommand'
    }

    It 'refuses SSH settings with the same error ids as the SSH cmdlets, before anything is contacted' -ForEach @(
        @{ Command = 'Connect-RoAppliance' }
        @{ Command = 'Connect-RoVpnAppliance' }
    ) {
        $record = Get-ThrownRecord { & $Command -Driver Ocserv -Address 127.0.0.1 -UserName ops -HostKeyPolicy Pinned }
        $record.FullyQualifiedErrorId | Should -BeLike 'PinnedPolicyWithoutFingerprint,*'
        $record.Exception.Message | Should -BeLike '*-HostKeyPolicy Pinned needs a fingerprint for ops@127.0.0.1*'

        $record = Get-ThrownRecord { & $Command -Driver Ocserv -Address 127.0.0.1 -UserName ops -JumpHost 'bastion;reboot' }
        $record.FullyQualifiedErrorId | Should -BeLike 'InvalidJumpHost,*'
        $record.Exception.Message | Should -BeLike '-JumpHost:*'
    }

    It 'refuses a setting of another driver given to the 0.1 cmdlet' {
        $record = Get-ThrownRecord { Connect-RoVpnAppliance -Driver Ocserv -Address 127.0.0.1 -AdminRealm 'Admins' }
        $record.FullyQualifiedErrorId | Should -Be 'InvalidDriverSetting,RemoteOps.Commands.ConnectRoVpnApplianceCommand'
    }
}

Describe 'Connections and capabilities' -Tag 'Emulator' {
    BeforeAll {
        Disconnect-RoAppliance -All
        $script:IcsConnection = Connect-RoAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $Admin -PublicKeyPin $Ics.spkiSha256 -Option @{ AdminRealm = 'Admin Users'; AuthServer = 'System Local' }
        $script:FgtConnection = Connect-RoAppliance FortiGate $Fgt.baseUrl -Credential $Token -PublicKeyPin $Fgt.spkiSha256
    }

    It 'says what each device is and can do, and shows no driver internals' {
        $IcsConnection.Driver | Should -Be 'ConnectSecure'
        $IcsConnection.Capabilities.ToString() | Should -Be 'VpnUsers, VpnSessions, VpnCapacity, VpnCluster, ConfigBackup, VpnSignIn'
        $FgtConnection.Id | Should -BeGreaterThan $IcsConnection.Id
        $IcsConnection.PSObject.Properties.Name | Should -Not -Contain 'Appliance'
        $IcsConnection.PSObject.Methods.Name | Should -Not -Contain 'Require'
        ($IcsConnection | Out-String) | Should -Not -Match ([regex]::Escape($Ics.adminPassword))
    }

    It 'serves the VPN cmdlets through either connection' {
        { Get-RoVpnUser -Connection $IcsConnection -ErrorAction Stop } | Should -Not -Throw
        { Get-RoVpnUser -Connection $FgtConnection -ErrorAction Stop } | Should -Not -Throw
    }

    It 'uses the newest connection with the capability when -Connection is omitted, and the next after a disconnect' {
        (Get-RoApplianceConnection).Id | Should -Be @($IcsConnection.Id, $FgtConnection.Id)
        @(Get-RoVpnUser)[0].Driver | Should -Be 'FortiGate'
        Disconnect-RoAppliance
        $FgtConnection.IsOpen | Should -BeFalse
        (Get-RoApplianceConnection).Id | Should -Be @($IcsConnection.Id)
        @(Get-RoVpnUser -UserName *)[0].Driver | Should -Be 'ConnectSecure'
    }

    It 'refuses a closed connection by name' {
        $record = Get-ThrownRecord { Get-RoVpnUser -Connection $FgtConnection }
        $record.FullyQualifiedErrorId | Should -Be 'VpnConnectionClosed,RemoteOps.Commands.GetRoVpnUserCommand'
    }

    It 'closes everything with -All, after which the VPN cmdlets say how to connect' {
        Disconnect-RoAppliance -All
        $IcsConnection.IsOpen | Should -BeFalse
        @(Get-RoApplianceConnection).Count | Should -Be 0
        $record = Get-ThrownRecord { Get-RoVpnUser }
        $record.FullyQualifiedErrorId | Should -Be 'NoVpnConnection,RemoteOps.Commands.GetRoVpnUserCommand'
        $record.Exception.Message | Should -BeLike '*run Connect-RoAppliance first, or pass -Connection*'
    }
}

Describe 'Connections belong to one runspace' -Tag 'Emulator' {
    BeforeAll {
        $script:Mine = Connect-RoAppliance ConnectSecure $Ics.baseUrl -Credential $Admin -PublicKeyPin $Ics.spkiSha256

        # A second runspace, as a parallel runbook or a thread job has.
        function Invoke-InOtherRunspace([scriptblock] $Script, [object[]] $Arguments) {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$env:REMOTEOPS_MODULE_PATH'").AddStatement().AddScript($Script)
                foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
                $output = $ps.Invoke()
                return [pscustomobject]@{ Output = $output; Errors = @($ps.Streams.Error) }
            }
            finally {
                $ps.Runspace.Dispose()
                $ps.Dispose()
            }
        }
    }

    AfterAll { Disconnect-RoAppliance -All }

    It 'is not seen, and never used by default, in another runspace' {
        $result = Invoke-InOtherRunspace { @(Get-RoApplianceConnection).Count; try { Get-RoVpnUser -ErrorAction Stop } catch { $_.FullyQualifiedErrorId } }
        $result.Output[0] | Should -Be 0
        $result.Output[1] | Should -Be 'NoVpnConnection,RemoteOps.Commands.GetRoVpnUserCommand'
        $Mine.IsOpen | Should -BeTrue
    }

    It 'closes the connections of a runspace when it closes' {
        $result = Invoke-InOtherRunspace {
            param($url, $cred, $pin)
            Connect-RoAppliance ConnectSecure $url -Credential $cred -PublicKeyPin $pin
        } @($Ics.baseUrl, $Admin, $Ics.spkiSha256)
        $result.Errors | Should -BeNullOrEmpty
        $other = $result.Output[0]
        $other.IsOpen | Should -BeFalse
        $Mine.IsOpen | Should -BeTrue
    }

    It 'closes the connections of a runspace when the module is removed from it' {
        $result = Invoke-InOtherRunspace {
            param($url, $cred, $pin)
            $c = Connect-RoAppliance ConnectSecure $url -Credential $cred -PublicKeyPin $pin
            $before = $c.IsOpen
            Remove-Module RemoteOps
            $before, $c.IsOpen
        } @($Ics.baseUrl, $Admin, $Ics.spkiSha256)
        $result.Errors | Should -BeNullOrEmpty
        $result.Output[0] | Should -BeTrue
        $result.Output[1] | Should -BeFalse
        $Mine.IsOpen | Should -BeTrue
    }

    It 'closes a connection opened with -NotDefault too when the module is removed' {
        $result = Invoke-InOtherRunspace {
            param($url, $cred, $pin)
            $c = Connect-RoAppliance ConnectSecure $url -Credential $cred -PublicKeyPin $pin -NotDefault
            $before = $c.IsOpen
            $listed = @(Get-RoApplianceConnection).Count
            Remove-Module RemoteOps
            $before, $listed, $c.IsOpen
        } @($Ics.baseUrl, $Admin, $Ics.spkiSha256)
        $result.Errors | Should -BeNullOrEmpty
        $result.Output[0] | Should -BeTrue
        $result.Output[1] | Should -Be 0
        $result.Output[2] | Should -BeFalse
    }

    It 'keeps working in this runspace after another runspace removed it' {
        $result = Invoke-InOtherRunspace { Remove-Module RemoteOps } @()
        $result.Errors | Should -BeNullOrEmpty
        # Types of RemoteOps.Core not loaded here before: they still resolve.
        (Get-RoApplianceDriver).Name | Should -Contain 'Ocserv'
        @(Get-RoSshSession).Count | Should -Be 0
        (Get-Command New-RoSshSession -Syntax) | Should -Match 'ComputerName'
        $Mine.IsOpen | Should -BeTrue
    }
}
