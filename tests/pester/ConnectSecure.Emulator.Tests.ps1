#requires -Version 7.2
# The Connect Secure driver and the VPN cmdlets against the lab emulator of Ivanti Connect Secure
# (HTTPS on loopback with a lab CA, fault injection on demand).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Ics = Start-ApplianceEmulator -Kind ics
    $script:Admin = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString $Ics.adminPassword -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Connection = Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $Admin -PublicKeyPin $Ics.spkiSha256
    $script:InitialPassword = ConvertTo-SecureString 'Initial-Pa55word!' -AsPlainText -Force

    function New-StaffCsv {
        param([int] $Count, [string] $Prefix, [string] $Path)
        1..$Count | ForEach-Object { [pscustomobject]@{ UserName = '{0}{1:d4}' -f $Prefix, $_; FullName = "Staff $_"; Group = 'Users' } } |
            Export-Csv -Path $Path -NoTypeInformation
        return $Path
    }
}

AfterAll {
    if ($script:Connection) { Disconnect-RoVpnAppliance -Connection $Connection }
    if ($script:Ics) { Stop-ApplianceEmulator -Emulator $Ics }
}

Describe 'Connect-RoVpnAppliance to Connect Secure' -Tag 'Emulator' {
    It 'connects with a pinned public key and becomes the connection the VPN cmdlets use' {
        $Connection.Driver | Should -Be 'ConnectSecure'
        $Connection.IsOpen | Should -BeTrue
        $Connection.Capabilities.ToString() | Should -Match '\bVpnUsers\b'
        Get-RoApplianceConnection -Capability VpnUsers | Select-Object -Last 1 | Should -Be $Connection
    }

    It 'connects with a pinned certificate thumbprint' {
        $c = Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $Admin -CertificateThumbprint $Ics.thumbprintSha256 -NotDefault
        $c.IsOpen | Should -BeTrue
        Disconnect-RoVpnAppliance -Connection $c
        $c.IsOpen | Should -BeFalse
    }

    It 'refuses a wrong pinned certificate with a clear SecurityError' {
        $wrong = 'AB' * 32
        { Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $Admin -CertificateThumbprint $wrong -NotDefault -ErrorAction Stop } |
            Should -Throw -ErrorId 'VpnTrustFailure,RemoteOps.Commands.ConnectRoVpnApplianceCommand'
        try { Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $Admin -CertificateThumbprint $wrong -NotDefault -ErrorAction Stop }
        catch {
            $_.CategoryInfo.Category | Should -Be 'SecurityError'
            $_.Exception.Message | Should -Match $Ics.thumbprintSha256
            $_.Exception.Message | Should -Match $wrong
        }
    }

    It 'refuses the self-signed lab certificate without a pin (validation is never switched off)' {
        { Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $Admin -NotDefault -ErrorAction Stop } |
            Should -Throw -ErrorId 'VpnTrustFailure,RemoteOps.Commands.ConnectRoVpnApplianceCommand'
    }

    It 'reports wrong admin credentials as an AuthenticationError without the password' {
        $bad = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString 'Wrong-Secret-9876' -AsPlainText -Force))
        try { Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $bad -PublicKeyPin $Ics.spkiSha256 -NotDefault -ErrorAction Stop; throw 'no error' }
        catch {
            $_.FullyQualifiedErrorId | Should -Be 'VpnAuthenticationFailed,RemoteOps.Commands.ConnectRoVpnApplianceCommand'
            ($_ | Out-String) | Should -Not -Match 'Wrong-Secret-9876'
        }
    }
}

Describe 'Bulk onboarding with New-RoVpnUser' -Tag 'Emulator' {
    BeforeAll {
        $script:Csv = New-StaffCsv -Count 600 -Prefix 'staff' -Path (Join-Path $TestDrive 'staff.csv')
        $script:First = @(Import-Csv $Csv | New-RoVpnUser -Password $InitialPassword -ChangePasswordAtSignIn -AuditLogPath $Audit)
    }

    It 'creates 600 accounts and reports one object per row' {
        $First.Count | Should -Be 600
        @($First | Where-Object Outcome -eq 'Created').Count | Should -Be 600
        ($First.Row | Sort-Object) | Should -Be (1..600)
        @(Get-RoVpnUser -UserName 'staff*').Count | Should -Be 600
    }

    It 'changes nothing when run twice' {
        $statsBefore = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $second = @(Import-Csv $Csv | New-RoVpnUser -Password $InitialPassword -AuditLogPath $Audit)
        @($second | Where-Object Outcome -eq 'NoChange').Count | Should -Be 600
        $statsAfter = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $statsAfter.userCreateRequests | Should -Be $statsBefore.userCreateRequests
    }

    It 'records one audit line per created user and none for unchanged ones, without the password' {
        @(Get-RoAuditLog -Path $Audit -Action 'New-RoVpnUser').Count | Should -Be 600
        Get-Content -Raw $Audit | Should -Not -Match 'Initial-Pa55word!'
    }

    It 'carries on past bad rows with an error naming the row and field' {
        $rows = @(
            [pscustomobject]@{ UserName = 'good.one'; Group = 'Users' }
            [pscustomobject]@{ UserName = 'bad;rm -rf /'; Group = 'Users' }
            [pscustomobject]@{ UserName = 'good.two'; Group = 'No Such Realm' }
            [pscustomobject]@{ UserName = 'good.three'; Group = 'Users' }
        )
        $result = @($rows | New-RoVpnUser -Password $InitialPassword -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failed)
        ($result | Where-Object UserName -eq 'good.one').Outcome | Should -Be 'Created'
        ($result | Where-Object UserName -eq 'good.three').Outcome | Should -Be 'Created'
        ($result | Where-Object UserName -eq 'good.two').Outcome | Should -Be 'Failed'
        $failed.Count | Should -Be 2
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidVpnUserRow,RemoteOps.Commands.NewRoVpnUserCommand'
        $failed[0].Exception.Message | Should -Match 'Row 2, UserName'
        $failed[1].FullyQualifiedErrorId | Should -Be 'VpnNotFound,RemoteOps.Commands.NewRoVpnUserCommand'
        $failed[1].Exception.Message | Should -Match "Row 3.*No Such Realm"
        Get-RoVpnUser -UserName 'good.two' | Should -BeNullOrEmpty
    }

    It 'reports a CSV without a UserName column for every row, before any appliance call' {
        $statsBefore = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $path = Join-Path $TestDrive 'nocolumn.csv'
        "Login Name,Group`njo,Users`nann,Users" | Set-Content $path
        $result = Import-Csv $path | New-RoVpnUser -Password $InitialPassword -ErrorAction SilentlyContinue -ErrorVariable failed
        $result | Should -BeNullOrEmpty
        $failed.Count | Should -Be 2
        $failed[0].Exception.Message | Should -Match 'UserName'
        $statsAfter = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $statsAfter.userCreateRequests | Should -Be $statsBefore.userCreateRequests
    }

    It 'creates the first of two rows for the same user and refuses the later one before sending it' {
        $rows = 1..2 | ForEach-Object { [pscustomobject]@{ UserName = 'twice.listed' } }
        $result = @($rows | New-RoVpnUser -Password $InitialPassword -ThrottleLimit 2 -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failures)
        $result.Count | Should -Be 1
        $result[0].Row | Should -Be 1
        $result[0].Outcome | Should -Be 'Created'
        $failures.Count | Should -Be 1
        "$($failures[0])" | Should -Match "^Row 2, UserName: 'twice.listed' already appears in row 1"
    }

    It 'changes nothing and sends nothing with -WhatIf' {
        $statsBefore = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $r = [pscustomobject]@{ UserName = 'whatif.user' } | New-RoVpnUser -Password $InitialPassword -AuditLogPath $Audit -WhatIf
        $r.Outcome | Should -Be 'Planned'
        $r.Changes | Should -Be @('create')
        Remove-RoVpnUser -UserName 'staff0010' -Force -WhatIf -AuditLogPath $Audit
        $statsAfter = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $statsAfter.userCreateRequests | Should -Be $statsBefore.userCreateRequests
        Get-RoVpnUser -UserName 'whatif.user' | Should -BeNullOrEmpty
        Get-RoVpnUser -UserName 'staff0010' | Should -Not -BeNullOrEmpty
    }

    It 'returns generated initial passwords as SecureString only' {
        $r = [pscustomobject]@{ UserName = 'generated.pw' } | New-RoVpnUser -GeneratePassword -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Created'
        $r.InitialPassword | Should -BeOfType [securestring]
        $r.InitialPassword.Length | Should -Be 20
    }
}

Describe 'Resilience against a busy or flaky appliance' -Tag 'Emulator' {
    AfterEach { Invoke-EmulatorControl -Emulator $Ics -Method DELETE -Path '/_lab/faults' | Out-Null }

    It 'retries 429 and 503 with back-off and never creates a user twice' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/faults' -Body @{ status429Every = 6; retryAfterSec = 1; status503Every = 9 } | Out-Null
        $statsBefore = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $csv = New-StaffCsv -Count 60 -Prefix 'busy' -Path (Join-Path $TestDrive 'busy.csv')
        $result = @(Import-Csv $csv | New-RoVpnUser -Password $InitialPassword -AuditLogPath $Audit)
        @($result | Where-Object Outcome -eq 'Created').Count | Should -Be 60
        Invoke-EmulatorControl -Emulator $Ics -Method DELETE -Path '/_lab/faults' | Out-Null
        $statsAfter = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $statsAfter.faultsInjected | Should -BeGreaterThan $statsBefore.faultsInjected
        @(Get-RoVpnUser -UserName 'busy*').Count | Should -Be 60
    }

    It 'survives dropped connections without duplicate users' {
        $duplicatesBefore = (Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats').duplicateCreateAttempts
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/faults' -Body @{ dropEvery = 6 } | Out-Null
        $csv = New-StaffCsv -Count 40 -Prefix 'drop' -Path (Join-Path $TestDrive 'drop.csv')
        $result = @(Import-Csv $csv | New-RoVpnUser -Password $InitialPassword -AuditLogPath $Audit)
        @($result | Where-Object Outcome -eq 'Created').Count | Should -Be 40
        Invoke-EmulatorControl -Emulator $Ics -Method DELETE -Path '/_lab/faults' | Out-Null
        @(Get-RoVpnUser -UserName 'drop*').Count | Should -Be 40
        $stats = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $stats.duplicateCreateAttempts | Should -Be $duplicatesBefore
    }

    It 'reports a create whose answer was lost after it took effect as Created, once' {
        $before = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/faults' -Body @{ dropEvery = 2; dropMode = 'after'; count = 1 } | Out-Null
        # Request 1 is the existence check, request 2 the POST: its answer is dropped after it took effect.
        $r = [pscustomobject]@{ UserName = 'lost.answer' } | New-RoVpnUser -Password $InitialPassword -GeneratePassword -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Created'
        $after = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        $after.usersCreated | Should -Be ($before.usersCreated + 1)
        $after.duplicateCreateAttempts | Should -Be $before.duplicateCreateAttempts
        $after.faultsInjected | Should -BeGreaterThan $before.faultsInjected
    }

    It 'renews an expired api key silently' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/faults' -Body @{ expireApiKeysNow = $true } | Out-Null
        @(Get-RoVpnUser -UserName 'staff000*').Count | Should -Be 9
    }
}

Describe 'Users, sessions, capacity, HA and configuration' -Tag 'Emulator' {
    It 'disables and enables a user, and reports NoChange when already so' {
        (Set-RoVpnUser -UserName 'staff0001' -Enabled:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        (Get-RoVpnUser -UserName 'staff0001').Enabled | Should -BeFalse
        (Set-RoVpnUser -UserName 'staff0001' -Enabled:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        (Set-RoVpnUser -UserName 'staff0001' -Enabled -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
    }

    It 'resets a password without showing it anywhere' {
        $new = ConvertTo-SecureString 'Reset-Secret-4242' -AsPlainText -Force
        $r = Set-RoVpnUser -UserName 'staff0002' -Password $new -ChangePasswordAtSignIn -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $r.Changes | Should -Contain 'reset password'
        ($r | Format-List * | Out-String) + (Get-Content -Raw $Audit) | Should -Not -Match 'Reset-Secret-4242'
    }

    It 'explains a 422 from a user still referenced by another object' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/references' -Body @{ user = 'staff0003'; by = 'role-mapping rule Contractors' } | Out-Null
        $r = Remove-RoVpnUser -UserName 'staff0003' -Force -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failed
        $r.Outcome | Should -Be 'Failed'
        $failed[0].FullyQualifiedErrorId | Should -Be 'VpnInUse,RemoteOps.Commands.RemoveRoVpnUserCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $failed[0].Exception.Message | Should -Match 'Contractors'
        Get-RoVpnUser -UserName 'staff0003' | Should -Not -BeNullOrEmpty
    }

    It 'removes a user, and a second removal is NoChange' {
        (Remove-RoVpnUser -UserName 'staff0004' -Force -AuditLogPath $Audit).Outcome | Should -Be 'Removed'
        (Remove-RoVpnUser -UserName 'staff0004' -Force -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
    }

    It 'reads every page of more than 200 sessions' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/sessions' -Body @{ count = 450; userPrefix = 'sess' } | Out-Null
        $sessions = @(Get-RoVpnSession)
        $sessions.Count | Should -BeGreaterOrEqual 450
        ($sessions.SessionId | Sort-Object -Unique).Count | Should -Be $sessions.Count
    }

    It 'ends the sessions of one user' {
        $user = (Get-RoVpnSession | Select-Object -First 1).UserName
        $before = @(Get-RoVpnSession -UserName $user)
        $before.Count | Should -BeGreaterThan 0
        Disconnect-RoVpnSession -UserName $user -Confirm:$false -AuditLogPath $Audit
        @(Get-RoVpnSession -UserName $user).Count | Should -Be 0
        @(Get-RoAuditLog -Path $Audit -Action 'Disconnect-RoVpnSession').Count | Should -BeGreaterOrEqual $before.Count
    }

    It 'reports capacity per node against the licence' {
        $capacity = @(Get-RoVpnCapacity)
        $capacity.Count | Should -BeGreaterThan 0
        foreach ($node in $capacity) {
            $node.MaximumSessions | Should -BeGreaterThan 0
            $node.PercentUsed | Should -Be ([math]::Round(100.0 * $node.ActiveSessions / $node.MaximumSessions, 1))
            $node.LoginsRemaining | Should -Be ([math]::Max(0, $node.MaximumSessions - $node.ActiveSessions))
        }
    }

    It 'renders the default table views' {
        (Get-RoVpnCapacity | Format-Table | Out-String -Width 200) | Should -Match 'Node\s+ActiveSessions\s+MaximumSessions\s+PercentUsed\s+LoginsRemaining'
        (Get-RoVpnUser -UserName 'staff0005' | Format-Table | Out-String -Width 200) | Should -Match 'UserName\s+Enabled\s+Groups\s+FullName'
        (Get-RoVpnSession | Select-Object -First 2 | Format-Table | Out-String -Width 200) | Should -Match 'UserName\s+SessionId\s+ClientAddress'
    }

    It 'decodes the cluster status into leader, VIP owner and reachability' {
        $status = Get-RoVpnClusterStatus
        $status.Nodes.Count | Should -BeGreaterOrEqual 2
        $status.Leader | Should -Not -BeNullOrEmpty
        ($status.Nodes | Where-Object Name -eq $status.Leader).Role | Should -Be 'Leader'
    }

    It 'exports the configuration tree as JSON sections and shows the difference in readable lines' {
        $before = Join-Path $TestDrive 'before.json'
        $after = Join-Path $TestDrive 'after.json'
        Export-RoVpnConfig -Path $before | Should -Not -BeNullOrEmpty
        $sections = (Get-Content -Raw $before | ConvertFrom-Json).sections
        $sections.PSObject.Properties.Name | Should -Contain 'configuration.json'
        $sections.PSObject.Properties.Name | Should -Contain 'users/user-realms.json'
        $sections.PSObject.Properties.Name | Should -Contain 'authentication/auth-servers/System Local/local/users.json'
        ($sections.'users/user-roles.json' | ConvertFrom-Json) | Should -Not -BeNullOrEmpty
        [pscustomobject]@{ UserName = 'added.later' } | New-RoVpnUser -Password $InitialPassword -AuditLogPath $Audit | Out-Null
        Export-RoVpnConfig -Path $after | Out-Null
        $diff = @(Compare-RoVpnConfig -ReferencePath $before -DifferencePath $after)
        ($diff | Where-Object { $_.Change -eq '+' -and $_.Text -match 'added.later' -and $_.Section -like '*local/users.json' }) | Should -Not -BeNullOrEmpty
        @(Compare-RoVpnConfig -ReferencePath $after -Live).Count | Should -Be 0
        Get-Content -Raw $after | Should -Not -Match 'Initial-Pa55word!'
    }
}

Describe 'The emulated Connect Secure configuration tree' -Tag 'Emulator' {
    BeforeAll {
        # Raw REST calls through a client that trusts the emulator's lab CA alone.
        $script:Rest = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $Ics))
        function Invoke-Ics([string] $Method, [string] $Path, $Body, [string] $User, [string] $Password) {
            $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), "$($Ics.baseUrl)$Path")
            $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("${User}:$Password"))
            $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Basic', $basic)
            if ($null -ne $Body) { $request.Content = [System.Net.Http.StringContent]::new(($Body | ConvertTo-Json -Compress), [Text.Encoding]::UTF8, 'application/json') }
            $response = $Rest.SendAsync($request).GetAwaiter().GetResult()
            [pscustomobject]@{ Status = [int]$response.StatusCode; Text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult() }
        }
        $login = Invoke-Ics POST '/api/v1/realm_auth' @{ realm = 'Admin Users' } $Ics.adminUser $Ics.adminPassword
        $script:Key = ($login.Text | ConvertFrom-Json).api_key
        $script:UserPath = '/api/v1/configuration/authentication/auth-servers/auth-server/System%20Local/local/users/user/tree.user'
        Invoke-Ics POST '/api/v1/configuration/authentication/auth-servers/auth-server/System%20Local/local/users/user/' `
            @{ username = 'tree.user'; fullname = 'Tree User'; 'password-cleartext' = 'Tree-Pa55word!'; enabled = 'true'; 'change-password-at-signin' = 'false' } $Key '' | Out-Null
    }
    AfterAll { if ($script:Rest) { $Rest.Dispose() } }

    It 'answers the top of the tree as hrefs and a single attribute as a leaf' {
        $root = Invoke-Ics GET '/api/v1/configuration' $null $Key ''
        $root.Status | Should -Be 200
        ($root.Text | ConvertFrom-Json).users.href | Should -Be '/api/v1/configuration/users'
        $leaf = Invoke-Ics GET "$UserPath/fullname" $null $Key ''
        ($leaf.Text | ConvertFrom-Json).fullname | Should -Be 'Tree User'
        (Invoke-Ics GET "$UserPath/password-cleartext" $null $Key '').Status | Should -Be 404
    }

    It 'replaces the whole object on PUT and refuses a rename' {
        (Invoke-Ics PUT $UserPath @{ username = 'tree.user'; enabled = 'false' } $Key '').Status | Should -Be 200
        $user = (Invoke-Ics GET $UserPath $null $Key '').Text | ConvertFrom-Json
        $user.enabled | Should -Be 'false'
        $user.fullname | Should -Be ''
        (Invoke-Ics PUT $UserPath @{ username = 'other.name' } $Key '').Status | Should -Be 400
    }

    It 'exports the binary configuration as an opaque blob, not a readable archive' {
        $export = Invoke-Ics GET '/api/v1/system/binary-configuration' $null $Key ''
        $export.Status | Should -Be 200
        $bytes = [Convert]::FromBase64String(($export.Text -replace '\s', ''))
        $bytes.Length | Should -BeGreaterThan 0
        [Text.Encoding]::ASCII.GetString($bytes, 0, 2) | Should -Not -Be 'PK'
    }
}
