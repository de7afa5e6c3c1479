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
        ($verdict.Checks.Check | Sort-Object) -join ',' | Should -Be 'Appliance,Capacity,Gateway,LaptopCompliance,SecondFactor,Sessions,VpnAccess,VpnAccount'
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

    It 'signs in for real with the right password, signs the session out again, and never shows the password' {
        $credential = [pscredential]::new('jsmith', (ConvertTo-SecureString $UserPassword -AsPlainText -Force))
        $all = Test-RoRemoteAccess -UserName jsmith -Credential $credential -Connection $Connection -Detailed -Verbose 4>&1 -ErrorVariable failed
        $objects = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verdict = $objects[0]
        $verdict.Cause | Should -Be 'None'
        $verdict.Summary | Should -Match 'jsmith signed in'
        $signIn = $objects | Where-Object { $_.PSObject.TypeNames[0] -eq 'RemoteOps.Core.Diagnostics.RemoteAccessCheckResult' -and $_.Check -eq 'SignIn' }
        $signIn.Status | Should -Be 'Passed'
        $signIn.Evidence | Should -Match "login.cgi as jsmith in realm 'Users': signed in .*signed out again"
        @(Get-RoVpnSession -Connection $Connection -UserName jsmith).Count | Should -Be 0 -Because 'the sign-in session was signed out'
        ($objects | Out-String -Width 200) + ($objects | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue) + ($verbose -join "`n") + ($failed | Out-String) + (Get-Content -Raw $Audit) |
            Should -Not -Match ([regex]::Escape($UserPassword))
    }

    It 'names a wrong password, with the reset as the next step, and never shows it' {
        $wrong = 'Not-The-Password-7'
        $credential = [pscredential]::new('jsmith', (ConvertTo-SecureString $wrong -AsPlainText -Force))
        $verdict = Test-RoRemoteAccess -UserName jsmith -Credential $credential -Connection $Connection -ErrorVariable failed
        $verdict.Cause | Should -Be 'WrongPassword'
        $verdict.CanSignIn | Should -BeFalse
        $verdict.NextStep | Should -Match 'Set-RoVpnUser -UserName jsmith -ChangePasswordAtSignIn'
        ($verdict.Checks | Where-Object Check -eq 'SignIn').Evidence | Should -Match 'welcome.cgi\?p=failed'
        ($verdict | Out-String -Width 200) + ($verdict | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue) + ($failed | Out-String) + (Get-Content -Raw $Audit) |
            Should -Not -Match ([regex]::Escape($wrong))
    }

    It 'names a disabled account, not the password, when the sign-in is refused' {
        Set-RoVpnUser -Connection $Connection -UserName jsmith -Enabled:$false -AuditLogPath $Audit | Out-Null
        try {
            $credential = [pscredential]::new('jsmith', (ConvertTo-SecureString $UserPassword -AsPlainText -Force))
            $verdict = Test-RoRemoteAccess -UserName jsmith -Credential $credential -Connection $Connection
            $verdict.Cause | Should -Be 'AccountDisabled'
            ($verdict.Checks | Where-Object Check -eq 'SignIn').Status | Should -Be 'Failed'
        }
        finally { Set-RoVpnUser -Connection $Connection -UserName jsmith -Enabled -AuditLogPath $Audit | Out-Null }
    }

    It 'names an account locked out by wrong passwords' {
        $password = 'Locked-User-Initial-5'
        New-RoVpnUser -Connection $Connection -UserName lockme -Password (ConvertTo-SecureString $password -AsPlainText -Force) -AuditLogPath $Audit | Out-Null
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ signInLockoutAttempts = 2 } | Out-Null
        try {
            $wrong = [pscredential]::new('lockme', (ConvertTo-SecureString 'wrong-1' -AsPlainText -Force))
            (Test-RoRemoteAccess -UserName lockme -Credential $wrong -Connection $Connection).Cause | Should -Be 'WrongPassword'
            Test-RoRemoteAccess -UserName lockme -Credential $wrong -Connection $Connection | Out-Null

            $right = [pscredential]::new('lockme', (ConvertTo-SecureString $password -AsPlainText -Force))
            $verdict = Test-RoRemoteAccess -UserName lockme -Credential $right -Connection $Connection
            $verdict.Cause | Should -Be 'AccountDisabled'
            ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Status | Should -Be 'Passed' -Because 'the REST API does not show the lockout; the sign-in does'
            $signIn = $verdict.Checks | Where-Object Check -eq 'SignIn'
            $signIn.Evidence | Should -Match 'account-locked-out'
            $verdict.NextStep | Should -Match 'locked out'
        }
        finally {
            Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ signInLockoutAttempts = 5 } | Out-Null
            Remove-RoVpnUser -Connection $Connection -UserName lockme -AuditLogPath $Audit -Confirm:$false | Out-Null
        }
    }

    It 'names a full appliance from the sign-in page itself' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ capacity = 1 } | Out-Null
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/sessions' -Body @{ count = 1; userPrefix = 'other' } | Out-Null
        try {
            $credential = [pscredential]::new('jsmith', (ConvertTo-SecureString $UserPassword -AsPlainText -Force))
            $verdict = Test-RoRemoteAccess -UserName jsmith -Credential $credential -Connection $Connection
            $verdict.Cause | Should -Be 'LicenceFull'
            ($verdict.Checks | Where-Object Check -eq 'SignIn').Evidence | Should -Match 'p=too-many'
        }
        finally {
            Invoke-EmulatorControl -Emulator $Ics -Method DELETE -Path '/_lab/sessions' | Out-Null
            Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ capacity = 1000 } | Out-Null
        }
    }

    It 'serves a sign-in the real openconnect client (protocol nc) completes, and refuses a wrong password to it' {
        $url = "$($Ics.baseUrl)/"
        $pin = 'pin-sha256:' + ($Ics.spkiSha256 -replace '^pin-sha256:', '')
        $out = $UserPassword | & openconnect --protocol=nc --authenticate --non-inter --passwd-on-stdin --user=jsmith --authgroup=Users "--servercert=$pin" $url 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n" -replace 'DSID=[0-9a-f]+', 'DSID=...')
        ($out -join "`n") | Should -Match "COOKIE='DSID="
        $refused = 'wrong-password' | & openconnect --protocol=nc --authenticate --non-inter --passwd-on-stdin --user=jsmith --authgroup=Users "--servercert=$pin" $url 2>&1
        $LASTEXITCODE | Should -Not -Be 0
        ($refused -join "`n") | Should -Not -Match 'DSID='
        Get-RoVpnSession -Connection $Connection -UserName jsmith | Disconnect-RoVpnSession -Connection $Connection -Confirm:$false | Out-Null
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

    It 'says a laptop that does not answer could not be checked, and still reports every other check' {
        $inventory = Join-Path $TestDrive 'laptops.json'
        Set-Content -Path $inventory -Value '[ { "UserName": "jsmith", "ComputerName": "127.0.0.1", "Port": 1 } ]'
        $verdict = Test-RoRemoteAccess jsmith -Connection $Connection -LaptopInventory $inventory `
            -LaptopBaseline (Join-Path $PSScriptRoot 'laptop-baseline.lab.json') -LaptopKnownHostsPath (Join-Path $TestDrive 'known_hosts')
        $laptop = $verdict.Checks | Where-Object Check -eq 'LaptopCompliance'
        $laptop.Status | Should -Be 'CouldNotRun'
        $laptop.Target | Should -Be '127.0.0.1:1'
        $laptop.Evidence | Should -Match '127\.0\.0\.1:1 could not be checked \(Unreachable\)'
        ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Status | Should -Be 'Passed'
        $verdict.Cause | Should -Be 'CheckNotMade'
    }

    It 'stops on a bad laptop inventory before any request, naming the file, the line and the value' {
        $before = Get-RequestCount
        $inventory = Join-Path $TestDrive 'bad-laptops.csv'
        Set-Content -Path $inventory -Value "UserName,ComputerName,Port`njsmith,laptop-1,22`nadoe,laptop-2,70000"
        { Test-RoRemoteAccess jsmith -Connection $Connection -LaptopInventory $inventory -LaptopBaseline (Join-Path $PSScriptRoot 'laptop-baseline.lab.json') -ErrorAction Stop } |
            Should -Throw -ErrorId 'LaptopInventoryInvalid,RemoteOps.Commands.TestRoRemoteAccessCommand' -ExpectedMessage "*bad-laptops.csv: line 3: Port '70000' is not a TCP port (1-65535).*"
        Get-RequestCount | Should -Be $before -Because 'nothing reached the appliance (control requests are not counted)'
    }

    It 'names the appliance as down within seconds when every answer is late' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/faults' -Body @{ latencyMs = 8000 } | Out-Null
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $verdict = Test-RoRemoteAccess jsmith -Connection $Connection
            $clock.Stop()
            $verdict.Cause | Should -Be 'ApplianceDown'
            ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Evidence | Should -Match 'no answer within 3 s'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'a diagnosis makes no retries and waits at most 3 s per request (it took about 23 s with the connection''s retries)'
        }
        finally { Invoke-EmulatorControl -Emulator $Ics -Method DELETE -Path '/_lab/faults' | Out-Null }
    }

    It 'names the appliance as down when it stops answering, within seconds, and still reports every check' {
        Stop-ApplianceEmulator -Emulator $Ics
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $verdict = Test-RoRemoteAccess jsmith -Connection $Connection
        $clock.Stop()
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'a refused connection is not retried in a diagnosis (it took about 23 s with the connection''s retries)'
        $verdict.Cause | Should -Be 'ApplianceDown'
        $verdict.Summary | Should -Match 'does not answer'
        $verdict.Checks.Count | Should -Be 8
        ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Status | Should -Be 'CouldNotRun'
        ($verdict.Checks | Where-Object Check -eq 'Gateway').Cause | Should -Be 'GatewayUnreachable'
    }
}
