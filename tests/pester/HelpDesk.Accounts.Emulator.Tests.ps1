#requires -Version 7.2
# Test-RoRemoteAccess on what stops a user beyond the account itself, against the lab emulators
# of Connect Secure and FortiOS (HTTPS on loopback): an expired password, a password that must be
# changed at sign-in, and rules that give the user no access (FortiGate SSL-VPN authentication
# rules and firewall policies from ssl.root, Connect Secure role mapping, also at a real sign-in);
# a healthy user stays healthy.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Ics = Start-ApplianceEmulator -Kind ics
    $script:Fgt = Start-ApplianceEmulator -Kind fortios
    $admin = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString $Ics.adminPassword -AsPlainText -Force))
    $token = [pscredential]::new('api', (ConvertTo-SecureString $Fgt.apiToken -AsPlainText -Force))
    $script:IcsConnection = Connect-RoAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $admin -PublicKeyPin $Ics.spkiSha256
    $script:FgtConnection = Connect-RoAppliance -Driver FortiGate -Address $Fgt.baseUrl -Credential $token -PublicKeyPin $Fgt.spkiSha256 -NotDefault
    $script:UserPassword = 'Jsmith-Initial-9!'
    $secure = ConvertTo-SecureString $UserPassword -AsPlainText -Force
    New-RoVpnUser -Connection $IcsConnection -UserName jsmith -Password $secure -AuditLogPath $Audit | Out-Null
    New-RoVpnUser -Connection $FgtConnection -UserName jsmith -Password $secure -Group SSLVPN_Users -AuditLogPath $Audit | Out-Null

    # A FortiOS REST call with the API token, as a FortiGate administrator would make it.
    function Invoke-FortiRest([string] $Method, [string] $Path, [hashtable] $Body) {
        $client = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $Fgt))
        try {
            $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Fgt.apiToken)
            $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), "$($Fgt.baseUrl)$Path")
            if ($Body) { $request.Content = [System.Net.Http.StringContent]::new(($Body | ConvertTo-Json -Depth 6 -Compress), [Text.Encoding]::UTF8, 'application/json') }
            $response = $client.SendAsync($request).GetAwaiter().GetResult()
            $response.IsSuccessStatusCode | Should -BeTrue -Because "$Method $Path answered $([int]$response.StatusCode)"
        }
        finally { $client.Dispose() }
    }

    function Get-RequestCount($Emulator) { (Invoke-EmulatorControl -Emulator $Emulator -Method GET -Path '/_lab/stats').requestsTotal }

    # SSL-VPN users also need an accept policy from the tunnel interface naming one of their groups,
    # as an administrator sets one up (a factory FortiGate has none).
    function Get-FortiPolicy([string] $Name) {
        $client = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $Fgt))
        try {
            $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Fgt.apiToken)
            $json = $client.GetStringAsync("$($Fgt.baseUrl)/api/v2/cmdb/firewall/policy").GetAwaiter().GetResult() | ConvertFrom-Json
            $json.results | Where-Object name -EQ $Name
        }
        finally { $client.Dispose() }
    }
    Invoke-FortiRest POST '/api/v2/cmdb/firewall/policy' @{
        policyid = 0; name = 'sslvpn-staff'; srcintf = @(@{ name = 'ssl.root' }); dstintf = @(@{ name = 'port2' })
        srcaddr = @(@{ name = 'all' }); dstaddr = @(@{ name = 'all' }); service = @(@{ name = 'ALL' }); action = 'accept'
        groups = @(@{ name = 'SSLVPN_Users' })
    }
    $script:StaffPolicyId = (Get-FortiPolicy 'sslvpn-staff').policyid
}

AfterAll {
    if ($script:IcsConnection) { Disconnect-RoAppliance -Connection $IcsConnection }
    if ($script:FgtConnection) { Disconnect-RoAppliance -Connection $FgtConnection }
    if ($script:Ics) { Stop-ApplianceEmulator -Emulator $Ics }
    if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
}

Describe 'Test-RoRemoteAccess: password expiry, change at sign-in and access mapping' -Tag 'Emulator', 'HelpDesk' {
    It 'finds a healthy user healthy on both appliances, with the access each gives' {
        $verdict = Test-RoRemoteAccess jsmith -Connection $IcsConnection, $FgtConnection
        $verdict.Cause | Should -Be 'None'
        $verdict.CanSignIn | Should -BeTrue
        $access = @($verdict.Checks | Where-Object Check -eq 'VpnAccess')
        $access.Count | Should -Be 2
        $access | ForEach-Object { $_.Status | Should -Be 'Passed' }
        ($access | Where-Object Target -like 'ConnectSecure*').Evidence | Should -Match "user realm 'Users': rule\(s\) 'default' map jsmith to the role\(s\) 'Users'"
        ($access | Where-Object Target -like 'FortiGate*').Evidence | Should -Match "default portal 'full-access' applies; firewall policy $StaffPolicyId \('sslvpn-staff'\) from ssl.root allows the group 'SSLVPN_Users'"
        ($verdict.Checks | Where-Object { $_.Check -eq 'VpnAccount' -and $_.Target -like 'FortiGate*' }).Evidence | Should -Match 'the password does not expire'
        ($verdict.Checks | Where-Object { $_.Check -eq 'VpnAccount' -and $_.Target -like 'ConnectSecure*' }).Evidence | Should -Match 'password expiry is not reported by ConnectSecure; no new password is demanded'
    }

    It 'names an expired FortiGate password from its password policy, with the command that sets a new one' {
        # From FortiOS 7.4.2 a policy's passwords expire only with expire-status enable (the emulator runs 7.4.8).
        Invoke-FortiRest POST '/api/v2/cmdb/user/password-policy' @{ name = 'vpn90'; 'expire-days' = 90; 'warn-days' = 7; 'expire-status' = 'enable' }
        $old = [DateTime]::UtcNow.AddDays(-120).ToString('yyyy-MM-dd HH:mm:ss', [Globalization.CultureInfo]::InvariantCulture)
        Invoke-FortiRest PUT '/api/v2/cmdb/user/local/jsmith' @{ 'passwd-policy' = 'vpn90'; 'passwd-time' = $old }
        try {
            $verdict = Test-RoRemoteAccess jsmith -Connection $FgtConnection
            $verdict.Cause | Should -Be 'PasswordExpired'
            $verdict.CanSignIn | Should -BeFalse
            $verdict.Summary | Should -Match 'has expired or must be changed'
            $verdict.NextStep | Should -Match ([regex]::Escape('Set-RoVpnUser -UserName jsmith, giving the new password as a SecureString (Read-Host -AsSecureString)'))
            ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Evidence | Should -Match 'the password has expired \(on \d{4}-\d\d-\d\d'

            # Setting a new password starts a new lifetime: the user is healthy again.
            Set-RoVpnUser -Connection $FgtConnection -UserName jsmith -Password (ConvertTo-SecureString $UserPassword -AsPlainText -Force) -AuditLogPath $Audit | Out-Null
            $after = Test-RoRemoteAccess jsmith -Connection $FgtConnection
            $after.Cause | Should -Be 'None'
            ($after.Checks | Where-Object Check -eq 'VpnAccount').Evidence | Should -Match 'the password is valid until'
        }
        finally { Invoke-FortiRest PUT '/api/v2/cmdb/user/local/jsmith' @{ 'passwd-policy' = '' } }
    }

    It 'names a FortiGate user that no SSL-VPN authentication rule or group gives a portal' {
        New-RoVpnUser -Connection $FgtConnection -UserName printer -Password (ConvertTo-SecureString 'Printer-Pass-42!' -AsPlainText -Force) -AuditLogPath $Audit | Out-Null
        Invoke-FortiRest PUT '/api/v2/cmdb/vpn.ssl/settings' @{
            'authentication-rule' = @(@{ id = 1; groups = @(@{ name = 'SSLVPN_Users' }); users = @(); portal = 'tunnel-access' })
            'default-portal'      = ''
        }
        try {
            $verdict = Test-RoRemoteAccess printer -Connection $FgtConnection
            $verdict.Cause | Should -Be 'NoAccessMapping'
            $verdict.CanSignIn | Should -BeFalse
            $verdict.Summary | Should -Match 'no rule of the appliance gives the user VPN access'
            $verdict.NextStep | Should -Match 'Set-RoVpnUser -UserName printer -Group'
            ($verdict.Checks | Where-Object Check -eq 'VpnAccess').Evidence | Should -Match 'printer is in no user group.*no default portal'
            ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Status | Should -Be 'Passed'

            $member = Test-RoRemoteAccess jsmith -Connection $FgtConnection
            $member.Cause | Should -Be 'None' -Because 'jsmith is in SSLVPN_Users, which the rule names'
            ($member.Checks | Where-Object Check -eq 'VpnAccess').Evidence | Should -Match "authentication rule 1 names the group 'SSLVPN_Users' and gives the portal 'tunnel-access'"
        }
        finally {
            Invoke-FortiRest PUT '/api/v2/cmdb/vpn.ssl/settings' @{ 'authentication-rule' = @(); 'default-portal' = 'full-access' }
            Remove-RoVpnUser -Connection $FgtConnection -UserName printer -AuditLogPath $Audit -Confirm:$false | Out-Null
        }
    }

    It 'names a FortiGate user whose portal no firewall policy from ssl.root allows' {
        (Get-FortiPolicy 'sslvpn-staff').groups.name | Should -Be @('SSLVPN_Users') -Because 'the emulator keeps the groups of a policy as FortiOS does'
        New-RoVpnUser -Connection $FgtConnection -UserName contractor -Password (ConvertTo-SecureString 'Contractor-Pass-42!' -AsPlainText -Force) -AuditLogPath $Audit | Out-Null
        try {
            $verdict = Test-RoRemoteAccess contractor -Connection $FgtConnection
            $verdict.Cause | Should -Be 'NoAccessMapping'
            $verdict.CanSignIn | Should -BeFalse
            $access = $verdict.Checks | Where-Object Check -eq 'VpnAccess'
            $access.Evidence | Should -Match "default portal 'full-access' applies, but none of the 1 firewall policy\(ies\) from ssl.root \($StaffPolicyId \('sslvpn-staff'\)\) is an enabled accept policy that allows contractor"
            $verdict.NextStep | Should -Match 'firewall policy from ssl.root'

            # A policy naming the user lets the user in, and the evidence names it.
            Invoke-FortiRest POST '/api/v2/cmdb/firewall/policy' @{
                policyid = 0; name = 'sslvpn-contractor'; srcintf = @(@{ name = 'ssl.root' }); dstintf = @(@{ name = 'port2' })
                srcaddr = @(@{ name = 'all' }); dstaddr = @(@{ name = 'all' }); service = @(@{ name = 'HTTPS' }); action = 'accept'
                users = @(@{ name = 'contractor' })
            }
            $policy = Get-FortiPolicy 'sslvpn-contractor'
            $policy.users.name | Should -Be @('contractor')
            $allowed = Test-RoRemoteAccess contractor -Connection $FgtConnection
            $allowed.Cause | Should -Be 'None'
            ($allowed.Checks | Where-Object Check -eq 'VpnAccess').Evidence | Should -Match "firewall policy $($policy.policyid) \('sslvpn-contractor'\) from ssl.root allows contractor"
            Invoke-FortiRest DELETE "/api/v2/cmdb/firewall/policy/$($policy.policyid)"
        }
        finally { Remove-RoVpnUser -Connection $FgtConnection -UserName contractor -AuditLogPath $Audit -Confirm:$false | Out-Null }
    }

    It 'names a Connect Secure realm whose role-mapping rules map the user to no role' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{
            realmRules = @{ Users = @(@{ name = 'staff-only'; userNames = @('alice', 'bob'); roles = @('Users'); stop = $true }) }
        } | Out-Null
        try {
            $verdict = Test-RoRemoteAccess jsmith -Connection $IcsConnection
            $verdict.Cause | Should -Be 'NoAccessMapping'
            $verdict.CanSignIn | Should -BeFalse
            ($verdict.Checks | Where-Object Check -eq 'VpnAccess').Evidence | Should -Be "user realm 'Users': none of its 1 role-mapping rule(s) ('staff-only') maps jsmith to a role."
            $verdict.NextStep | Should -Match "add a role-mapping rule to user realm 'Users' that maps jsmith"
        }
        finally {
            Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{
                realmRules = @{ Users = @(@{ name = 'default'; userNames = @('*'); roles = @('Users') }) }
            } | Out-Null
        }
    }

    It 'names a Connect Secure user the realm maps to no role from a real sign-in, not as a wrong password' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{
            realmRules = @{ Users = @(@{ name = 'staff-only'; userNames = @('alice', 'bob'); roles = @('Users'); stop = $true }) }
        } | Out-Null
        try {
            $credential = [pscredential]::new('jsmith', (ConvertTo-SecureString $UserPassword -AsPlainText -Force))
            $verdict = Test-RoRemoteAccess jsmith -Credential $credential -Connection $IcsConnection -ErrorVariable failed
            $verdict.Cause | Should -Be 'NoAccessMapping'
            $verdict.CanSignIn | Should -BeFalse
            $signIn = $verdict.Checks | Where-Object Check -eq 'SignIn'
            $signIn.Status | Should -Be 'Failed'
            $signIn.Cause | Should -Be 'NoAccessMapping'
            $signIn.Evidence | Should -Match 'map the user to no role'
            @(Get-RoVpnSession -Connection $IcsConnection -UserName jsmith).Count | Should -Be 0 -Because 'a user with no role gets no session'
            ($verdict | Out-String -Width 200) + ($verdict | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue) + ($failed | Out-String) + (Get-Content -Raw $Audit) |
                Should -Not -Match ([regex]::Escape($UserPassword))

            $wrong = [pscredential]::new('jsmith', (ConvertTo-SecureString 'Not-The-Password-7' -AsPlainText -Force))
            $refused = Test-RoRemoteAccess jsmith -Credential $wrong -Connection $IcsConnection
            ($refused.Checks | Where-Object Check -eq 'SignIn').Cause | Should -Be 'WrongPassword' -Because 'only the right password reaches the role mapping'
        }
        finally {
            Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{
                realmRules = @{ Users = @(@{ name = 'default'; userNames = @('*'); roles = @('Users') }) }
            } | Out-Null
        }
    }

    It 'warns about a Connect Secure password that must be changed at sign-in, and names it from a real sign-in' {
        Set-RoVpnUser -Connection $IcsConnection -UserName jsmith -Password (ConvertTo-SecureString $UserPassword -AsPlainText -Force) -ChangePasswordAtSignIn -AuditLogPath $Audit | Out-Null
        try {
            $warned = Test-RoRemoteAccess jsmith -Connection $IcsConnection
            $warned.Cause | Should -Be 'PasswordExpired'
            ($warned.Checks | Where-Object Check -eq 'VpnAccount').Status | Should -Be 'Warning'
            ($warned.Checks | Where-Object Check -eq 'VpnAccount').Evidence | Should -Match 'change-password-at-signin is set'

            $credential = [pscredential]::new('jsmith', (ConvertTo-SecureString $UserPassword -AsPlainText -Force))
            $verdict = Test-RoRemoteAccess jsmith -Credential $credential -Connection $IcsConnection -ErrorVariable failed
            $verdict.Cause | Should -Be 'PasswordExpired'
            $verdict.CanSignIn | Should -BeFalse
            $signIn = $verdict.Checks | Where-Object Check -eq 'SignIn'
            $signIn.Status | Should -Be 'Failed'
            $signIn.Cause | Should -Be 'PasswordExpired'
            $signIn.Evidence | Should -Match 'password-change form'
            $verdict.NextStep | Should -Match 'choose a new password'
            @(Get-RoVpnSession -Connection $IcsConnection -UserName jsmith).Count | Should -Be 0 -Because 'no session is opened before the new password'
            ($verdict | Out-String -Width 200) + ($verdict | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue) + ($failed | Out-String) + (Get-Content -Raw $Audit) |
                Should -Not -Match ([regex]::Escape($UserPassword))
        }
        finally { Set-RoVpnUser -Connection $IcsConnection -UserName jsmith -Password (ConvertTo-SecureString $UserPassword -AsPlainText -Force) -AuditLogPath $Audit | Out-Null }
    }

    It 'names a Connect Secure password expired by the auth server from a real sign-in, not as a wrong password' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ passwordMaxAgeDays = 90; passwordAgeDays = @{ jsmith = 91 } } | Out-Null
        try {
            $credential = [pscredential]::new('jsmith', (ConvertTo-SecureString $UserPassword -AsPlainText -Force))
            $verdict = Test-RoRemoteAccess jsmith -Credential $credential -Connection $IcsConnection
            $verdict.Cause | Should -Be 'PasswordExpired'
            ($verdict.Checks | Where-Object Check -eq 'SignIn').Cause | Should -Be 'PasswordExpired'
            ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Status | Should -Be 'Passed' -Because 'the REST user object has no password age; the sign-in shows the expiry'

            $wrong = [pscredential]::new('jsmith', (ConvertTo-SecureString 'Not-The-Password-7' -AsPlainText -Force))
            (Test-RoRemoteAccess jsmith -Credential $wrong -Connection $IcsConnection).Cause | Should -Be 'WrongPassword' -Because 'only the right password reaches the password-change page'
        }
        finally { Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/settings' -Body @{ passwordMaxAgeDays = 0 } | Out-Null }
    }

    It 'refuses hostile user names before any request to either appliance' {
        $before = (Get-RequestCount $Ics) + (Get-RequestCount $Fgt)
        $r = @('jsmith;reboot', '../../etc/passwd', "j`nsmith") | Test-RoRemoteAccess -Connection $IcsConnection, $FgtConnection -ErrorAction SilentlyContinue -ErrorVariable failed
        $r | Should -BeNullOrEmpty
        $failed.Count | Should -Be 3
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'InvalidUserName,RemoteOps.Commands.TestRoRemoteAccessCommand' }
        (Get-RequestCount $Ics) + (Get-RequestCount $Fgt) | Should -Be $before -Because 'nothing reached the appliances (control requests are not counted)'
    }
}
