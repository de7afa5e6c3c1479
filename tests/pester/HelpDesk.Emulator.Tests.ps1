#requires -Version 7.2
# Test-RoRemoteAccess against the lab emulator of Ivanti Connect Secure (HTTPS on loopback):
# one scenario per VPN-side cause the emulator can show, hostile names, the one-screen view.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Ics = Start-ApplianceEmulator -Kind ics
    $script:Admin = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString $Ics.adminPassword -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Connection = Connect-RoAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $Admin -PublicKeyPin $Ics.spkiSha256
    $script:UserPassword = 'Jsmith-Initial-9!'
    New-RoVpnUser -Connection $Connection -UserName jsmith -FullName 'Jo Smith' -Group Users -AuditLogPath $Audit `
        -Password (ConvertTo-SecureString $UserPassword -AsPlainText -Force) | Out-Null

    function Get-RequestCount { (Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats').requestsTotal }
}

AfterAll {
    if ($script:Connection) { Disconnect-RoAppliance -Connection $Connection }
    if ($script:Ics) { Stop-ApplianceEmulator -Emulator $Ics }
}

Describe 'Test-RoRemoteAccess against Connect Secure' -Tag 'Emulator', 'HelpDesk' {
    It 'finds no problem for a healthy user and lists every check' {
        $verdict = Test-RoRemoteAccess jsmith -Connection $Connection
        $verdict.PSObject.TypeNames[0] | Should -Be 'RemoteOps.Core.Diagnostics.RemoteAccessVerdict'
        $verdict.Cause | Should -Be 'None'
        $verdict.CanSignIn | Should -BeTrue
        $verdict.Summary | Should -BeLike 'No problem found*'
        ($verdict.Checks.Check | Sort-Object) -join ',' | Should -Be 'Appliance,Capacity,Gateway,LaptopCompliance,SecondFactor,Sessions,VpnAccount'
        ($verdict.Checks | Where-Object Check -eq 'Gateway').Status | Should -Be 'Passed'
        ($verdict.Checks | Where-Object Check -eq 'LaptopCompliance').Status | Should -Be 'NotAvailable'
        ($verdict.Checks | Where-Object Check -eq 'SecondFactor').Evidence | Should -Match 'No open connection offers SecondFactorUsers'
    }

    It 'names a disabled account and the command that enables it' {
        Set-RoVpnUser -Connection $Connection -UserName jsmith -Enabled:$false -AuditLogPath $Audit | Out-Null
        try {
            $verdict = Test-RoRemoteAccess -UserName jsmith -Connection $Connection
            $verdict.Cause | Should -Be 'AccountDisabled'
            $verdict.CanSignIn | Should -BeFalse
            $verdict.Summary | Should -Match 'disabled or locked'
            $verdict.NextStep | Should -Match 'Set-RoVpnUser -UserName jsmith -Enabled'
        }
        finally { Set-RoVpnUser -Connection $Connection -UserName jsmith -Enabled -AuditLogPath $Audit | Out-Null }
    }

    It 'names a user without an account' {
        (Test-RoRemoteAccess -UserName nosuchuser -Connection $Connection).Cause | Should -Be 'AccountNotFound'
    }

    It 'names a full licence when no node can take another session' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ capacity = 2 } | Out-Null
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/sessions' -Body @{ count = 4; userPrefix = 'other' } | Out-Null
        try {
            $verdict = Test-RoRemoteAccess -UserName jsmith -Connection $Connection
            $verdict.Cause | Should -Be 'LicenceFull'
            $verdict.Summary | Should -Match 'licence or session limit is reached'
            ($verdict.Checks | Where-Object Check -eq 'Capacity').Evidence | Should -Match 'of 2 sessions'
        }
        finally {
            Invoke-EmulatorControl -Emulator $Ics -Method DELETE -Path '/_lab/sessions' | Out-Null
            Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ capacity = 1000 } | Out-Null
        }
    }

    It 'warns about a cluster node that is down without blaming it' {
        $healthy = (Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/settings').nodeStatus.'ics-lab-2'
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ nodeStatus = @{ 'ics-lab-2' = ($healthy -bor 0x8) } } | Out-Null
        try {
            $verdict = Test-RoRemoteAccess -UserName jsmith -Connection $Connection
            $verdict.Cause | Should -Be 'ClusterDegraded'
            $verdict.CanSignIn | Should -BeTrue
            ($verdict.Checks | Where-Object Check -eq 'Appliance').Status | Should -Be 'Warning'
        }
        finally { Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ nodeStatus = @{ 'ics-lab-2' = $healthy } } | Out-Null }
    }

    It 'says plainly that a real sign-in to Connect Secure is not available, and runs the rest' {
        $credential = [pscredential]::new('jsmith', (ConvertTo-SecureString $UserPassword -AsPlainText -Force))
        $all = Test-RoRemoteAccess -UserName jsmith -Credential $credential -Connection $Connection -Detailed -Verbose 4>&1
        $objects = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verbose.Count | Should -BeGreaterThan 0
        $signIn = $objects | Where-Object { $_.PSObject.TypeNames[0] -eq 'RemoteOps.Core.Diagnostics.RemoteAccessCheckResult' -and $_.Check -eq 'SignIn' }
        $signIn.Status | Should -Be 'NotAvailable'
        $signIn.Evidence | Should -Match 'not available in this version'
        ($objects | Out-String -Width 200) + ($objects | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue) + ($verbose -join "`n") |
            Should -Not -Match ([regex]::Escape($UserPassword))
    }

    It 'refuses a credential for another user before any request' {
        $before = Get-RequestCount
        $credential = [pscredential]::new('someoneelse', (ConvertTo-SecureString 'x-Secret-1' -AsPlainText -Force))
        $r = Test-RoRemoteAccess -UserName jsmith -Credential $credential -Connection $Connection -ErrorAction SilentlyContinue -ErrorVariable failed
        $r | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidUserName,RemoteOps.Commands.TestRoRemoteAccessCommand'
        $failed[0].Exception.Message | Should -Not -Match 'x-Secret-1'
        Get-RequestCount | Should -Be $before -Because 'nothing reached the appliance (control requests are not counted)'
    }

    It 'refuses hostile user names before any request and still diagnoses the others' {
        $before = Get-RequestCount
        $r = @('jsmith;reboot', '../../etc/passwd', "j`nsmith") | Test-RoRemoteAccess -Connection $Connection -ErrorAction SilentlyContinue -ErrorVariable failed
        $r | Should -BeNullOrEmpty
        $failed.Count | Should -Be 3
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'InvalidUserName,RemoteOps.Commands.TestRoRemoteAccessCommand' }
        $failed[0].Exception.Message | Should -Match "'jsmith;reboot' is not a valid VPN user name"
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-RequestCount | Should -Be $before -Because 'nothing reached the appliance (control requests are not counted)'

        $mixed = @([pscustomobject]@{ UserName = 'bad name' }, [pscustomobject]@{ UserName = 'jsmith' }) | Test-RoRemoteAccess -Connection $Connection -ErrorAction SilentlyContinue
        @($mixed).Count | Should -Be 1
        $mixed.UserName | Should -Be 'jsmith'
    }

    It 'refuses a gateway that is not https and a malformed pin before anything is sent' {
        { Test-RoRemoteAccess jsmith -Connection $Connection -Gateway 'http://vpn.example/' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidGateway,RemoteOps.Commands.TestRoRemoteAccessCommand'
        { Test-RoRemoteAccess jsmith -Connection $Connection -GatewayPublicKeyPin 'pin-sha256:nope' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidGatewayPublicKeyPin,RemoteOps.Commands.TestRoRemoteAccessCommand'
    }

    It 'fits its default view on one screen and shows every check in it' {
        $text = Test-RoRemoteAccess jsmith -Connection $Connection | Out-String -Width 120
        $lines = $text.Trim() -split "`r?`n"
        $lines.Count | Should -BeLessOrEqual 25
        $text | Should -Match 'NextStep'
        $text | Should -Match 'Passed\s+VpnAccount\s+ConnectSecure'
        $text | Should -Match 'NotAvailable\s+LaptopCompliance'
    }

    It 'names the appliance as down when it stops answering, and still reports every check' {
        Stop-ApplianceEmulator -Emulator $Ics
        $verdict = Test-RoRemoteAccess jsmith -Connection $Connection
        $verdict.Cause | Should -Be 'ApplianceDown'
        $verdict.Summary | Should -Match 'does not answer'
        $verdict.Checks.Count | Should -Be 7
        ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Status | Should -Be 'CouldNotRun'
        ($verdict.Checks | Where-Object Check -eq 'Gateway').Cause | Should -Be 'GatewayUnreachable'
    }
}
