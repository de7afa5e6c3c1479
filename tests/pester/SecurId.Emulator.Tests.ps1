#requires -Version 7.2
# The SecurID driver and cmdlets against the lab emulator of RSA SecurID (Cloud Administration API,
# OAuth token endpoint and Authentication API on loopback; Authentication Manager as a second one).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Emu = Start-ApplianceEmulator -Kind securid
    $script:ClientKey = [pscredential]::new('api', (ConvertTo-SecureString $Emu.clientKey -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Sid = Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -Credential $ClientKey -PublicKeyPin $Emu.spkiSha256 -NotDefault `
        -Option @{ AdminApiKeyFile = $Emu.adminApiKeyFile; AuthApiUrl = $Emu.authApiUrl }
    $script:Code = @{}
    foreach ($u in $Emu.users) { if ($u.tokencode) { $Code[$u.email] = $u.tokencode } }
    # The private key's base64 body, to prove it never shows up anywhere.
    $script:KeyBody = ((Get-Content -Raw $Emu.adminApiKeyFile | ConvertFrom-Json).accessKey -split "`n")[1]

    function script:Secure([string] $text) { ConvertTo-SecureString $text -AsPlainText -Force }
    function script:Stats { Invoke-EmulatorControl -Emulator $Emu -Method GET -Path '/_lab/stats' }
    function script:Reset { Invoke-EmulatorControl -Emulator $Emu -Method POST -Path '/_lab/reset' | Out-Null }

    # A JWT signed in the test, to check what the emulator accepts.
    function script:New-TestJwt([hashtable] $Header, [hashtable] $Claims, [System.Security.Cryptography.RSA] $Key) {
        $enc = { param($bytes) [Convert]::ToBase64String($bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        $input = (& $enc ([Text.Encoding]::UTF8.GetBytes(($Header | ConvertTo-Json -Compress)))) + '.' + (& $enc ([Text.Encoding]::UTF8.GetBytes(($Claims | ConvertTo-Json -Compress))))
        $sig = $Key.SignData([Text.Encoding]::ASCII.GetBytes($input), [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        return $input + '.' + (& $enc $sig)
    }
    function script:Invoke-Lookup([string] $Jwt) {
        $client = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $Emu))
        try {
            $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, "$($Emu.adminRestApiUrl)/v1/users/lookup")
            $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Jwt)
            $request.Content = [System.Net.Http.StringContent]::new('{"email":"healthy@lab.example"}', [Text.Encoding]::UTF8, 'application/json')
            $response = $client.SendAsync($request).GetAwaiter().GetResult()
            [pscustomobject]@{ Status = [int]$response.StatusCode; Body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult() }
        }
        finally { $client.Dispose() }
    }
    $script:LabKey = [System.Security.Cryptography.RSA]::Create()
    $LabKey.ImportFromPem((Get-Content -Raw $Emu.adminApiKeyFile | ConvertFrom-Json).accessKey)
    $script:AccessId = (Get-Content -Raw $Emu.adminApiKeyFile | ConvertFrom-Json).accessID
}

AfterAll {
    if ($script:Sid) { Disconnect-RoAppliance -Connection $Sid }
    if ($script:Emu) { Stop-ApplianceEmulator -Emulator $Emu }
}

Describe 'Get-RoSecurIdUser (SecurID Cloud emulator, admin API key)' -Tag 'Emulator' {
    BeforeEach { Reset }

    It 'connects and says what the connection can do' {
        $Sid.Driver | Should -Be 'SecurId'
        $Sid.Capabilities.ToString() | Should -Be 'SecondFactorUsers, SecondFactorCodeTest'
    }

    It 'shows a healthy user with one token and nothing locked' {
        $u = Get-RoSecurIdUser -Connection $Sid -UserName healthy@lab.example
        $u.Enabled | Should -BeTrue
        $u.Locked | Should -BeFalse
        $u.Authenticators.Count | Should -Be 1
        $u.Authenticators[0].Kind | Should -Be 'SecurID token'
        $u.Authenticators[0].Identifier | Should -Be '000412345678'
        $u.Authenticators[0].ExpiresOn.Year | Should -Be 2029
        ($u | Out-String -Width 200) | Should -Match 'healthy@lab.example\s+Enabled\s+-\s+SecurID token 000412345678'
    }

    It 'shows the help-desk scenarios: disabled, token locked, no token, SMS locked' {
        $users = 'disabled@lab.example', 'locked@lab.example', 'notoken@lab.example', 'smslocked@lab.example' | Get-RoSecurIdUser -Connection $Sid
        $users.Count | Should -Be 4
        $users[0].Enabled | Should -BeFalse
        $users[1].LockedMethods | Should -Be @('TOKEN')
        @($users[2].Authenticators | Where-Object Kind -eq 'SecurID token').Count | Should -Be 0
        $users[2].Authenticators[0].Identifier | Should -Be 'Pixel 8'
        $users[3].LockedMethods | Should -Be @('SMS')
    }

    It 'gives the vendor-neutral view Test-RoRemoteAccess reads' {
        $driver = $Sid.GetType().GetField('driver', [Reflection.BindingFlags]'NonPublic,Instance').GetValue($Sid)
        $neutral = $driver.GetSecondFactorUserAsync('locked@lab.example', [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $neutral.Locked | Should -BeTrue
        $neutral.LockedMethods | Should -Be @('TOKEN')
    }

    It 'reports an unknown user as SecurIdNotFound with the service''s words' {
        Get-RoSecurIdUser -Connection $Sid -UserName nobody@lab.example -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SecurIdNotFound*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses hostile user names before sending anything' {
        $before = (Stats).requestsTotal
        $names = @('a b@lab.example', '*@lab.example', '../../x@lab.example', "healthy@lab.example`n", "x@lab.example`r`nX-Injected: 1",
            "' OR 1=1 --", 'x@lab.example/../v1', 'x@lab.example?id=1', '%2e%2e@lab.example', '', 'healthy')
        $names | Get-RoSecurIdUser -Connection $Sid -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures.Count | Should -Be $names.Count
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InvalidSecurIdUserName*' }
        "$($failures[4])" | Should -Not -Match "`n"
        (Stats).requestsTotal | Should -Be $before
        foreach ($command in 'Enable-RoSecurIdUser', 'Disable-RoSecurIdUser', 'Unlock-RoSecurIdUser', 'New-RoEmergencyAccessCode') {
            & $command -Connection $Sid -UserName '*@lab.example' -AuditLogPath $Audit -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSecurIdUserName*'
        }
        Test-RoSecurIdCode -Connection $Sid -UserName 'x y@lab.example' -Code (Secure '1') -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSecurIdUserName*'
        (Stats).requestsTotal | Should -Be $before
    }
}

Describe 'Enable, Disable and Unlock-RoSecurIdUser' -Tag 'Emulator' {
    BeforeEach { Reset }

    It 'disables and enables a user, reports NoChange without sending, and audits each' {
        (Disable-RoSecurIdUser -Connection $Sid healthy@lab.example -AuditLogPath $Audit -Confirm:$false).Outcome | Should -Be 'Changed'
        (Get-RoSecurIdUser -Connection $Sid healthy@lab.example).Enabled | Should -BeFalse
        $puts = (Stats).requests.'PUT /AdminInterface/restapi/v1/users/{id}/userStatus'
        (Disable-RoSecurIdUser -Connection $Sid healthy@lab.example -AuditLogPath $Audit -Confirm:$false).Outcome | Should -Be 'NoChange'
        (Stats).requests.'PUT /AdminInterface/restapi/v1/users/{id}/userStatus' | Should -Be $puts
        (Enable-RoSecurIdUser -Connection $Sid healthy@lab.example -AuditLogPath $Audit).Outcome | Should -Be 'Changed'
        (Get-RoSecurIdUser -Connection $Sid healthy@lab.example).Enabled | Should -BeTrue
        $lines = Get-Content $Audit | ConvertFrom-Json | Select-Object -Last 3
        $lines.Action | Should -Be @('Disable-RoSecurIdUser', 'Disable-RoSecurIdUser', 'Enable-RoSecurIdUser')
        $lines.Outcome | Should -Be @('Changed', 'NoChange', 'Changed')
        $lines[0].Target | Should -BeLike 'healthy@lab.example@127.0.0.1:*'
    }

    It 'changes nothing under -WhatIf' {
        Disable-RoSecurIdUser -Connection $Sid healthy@lab.example -WhatIf
        (Get-RoSecurIdUser -Connection $Sid healthy@lab.example).Enabled | Should -BeTrue
    }

    It 'unlocks a locked token from the pipeline, then finds nothing to unlock' {
        $change = Get-RoSecurIdUser -Connection $Sid locked@lab.example | Unlock-RoSecurIdUser -Connection $Sid -AuditLogPath $Audit
        $change.Outcome | Should -Be 'Changed'
        $change.Detail | Should -Be 'unlocked TOKEN'
        (Get-RoSecurIdUser -Connection $Sid locked@lab.example).Locked | Should -BeFalse
        (Unlock-RoSecurIdUser -Connection $Sid locked@lab.example -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
    }

    It 'unlocks only the methods named' {
        (Unlock-RoSecurIdUser -Connection $Sid smslocked@lab.example -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        (Unlock-RoSecurIdUser -Connection $Sid smslocked@lab.example -Method SMS, TOKEN -AuditLogPath $Audit).Detail | Should -Be 'unlocked SMS'
        (Get-RoSecurIdUser -Connection $Sid smslocked@lab.example).LockedMethods | Should -BeNullOrEmpty
    }
}

Describe 'New-RoEmergencyAccessCode' -Tag 'Emulator' {
    BeforeEach { Reset }

    It 'returns the code as a SecureString, shown once, and never in audit, verbose or text' {
        $verbose = New-RoEmergencyAccessCode -Connection $Sid healthy@lab.example -ExpirationDays 2 -AuditLogPath $Audit -Confirm:$false -Verbose 4>&1
        $eac = $verbose | Where-Object { $_.GetType().FullName -eq 'RemoteOps.Core.Identity.SecurId.EmergencyAccessCode' }
        $messages = ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $eac.Code | Should -BeOfType [securestring]
        ($eac | Out-String -Width 200) | Should -Match 'call \.RevealOnce\(\) to show it once'
        $eac.ExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddDays(1.9))
        $clear = $eac.RevealOnce()
        $clear | Should -Match '^\d{8}$'
        $eac.Code | Should -BeNullOrEmpty
        $eac.Revealed | Should -BeTrue
        ($eac | Out-String -Width 200) | Should -Match 'shown once; not kept'
        { $eac.RevealOnce() } | Should -Throw '*already shown once*'
        $messages | Should -Match 'Issued emergency access code'
        $messages | Should -Not -Match $clear
        "$eac" | Should -Not -Match $clear
        ($eac | Format-List * | Out-String) | Should -Not -Match $clear
        ($eac | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue) | Should -Not -Match $clear
        $audit = Get-Content $Audit -Raw
        $audit | Should -Match 'New-RoEmergencyAccessCode'
        $audit | Should -Not -Match $clear
        (Get-RoSecurIdUser -Connection $Sid healthy@lab.example).EmergencyAccessStatus | Should -Be 'Enabled'
    }

    It 'refuses a lifetime outside 1..7 days before sending' {
        { New-RoEmergencyAccessCode -Connection $Sid healthy@lab.example -ExpirationDays 8 -Confirm:$false } | Should -Throw '*8*'
    }
}

Describe 'Test-RoSecurIdCode (Authentication API)' -Tag 'Emulator' {
    BeforeEach { Reset }

    It 'accepts the right code and refuses a wrong one, never echoing either' {
        $ok = Test-RoSecurIdCode -Connection $Sid -UserName healthy@lab.example -Code (Secure $Code['healthy@lab.example']) -AuditLogPath $Audit -Verbose 4>&1
        $result = $ok | Where-Object { $_.GetType().FullName -eq 'RemoteOps.Core.Identity.SecurId.SecurIdCodeTestResult' }
        $result.Result | Should -Be 'Succeeded'
        $result.MethodId | Should -Be 'SECURID'
        ($ok | Out-String) + ($result | Format-List * | Out-String) | Should -Not -Match $Code['healthy@lab.example']
        $bad = Test-RoSecurIdCode -Connection $Sid -Credential ([pscredential]::new('healthy@lab.example', (Secure '00000000'))) -AuditLogPath $Audit
        $bad.Result | Should -Be 'Failed'
        $bad.MethodResponseCode | Should -Be 'FAIL'
        $audit = Get-Content $Audit -Raw
        $audit | Should -Match 'Test-RoSecurIdCode'
        $audit | Should -Not -Match $Code['healthy@lab.example']
        $audit | Should -Not -Match '00000000'
    }

    It 'locks the token after three wrong codes; unlocking lets the right code through' {
        1..3 | ForEach-Object { (Test-RoSecurIdCode -Connection $Sid -UserName healthy@lab.example -Code (Secure '1234') -AuditLogPath $Audit).Result | Should -Be 'Failed' }
        (Get-RoSecurIdUser -Connection $Sid healthy@lab.example).LockedMethods | Should -Be @('TOKEN')
        $locked = Test-RoSecurIdCode -Connection $Sid -UserName healthy@lab.example -Code (Secure $Code['healthy@lab.example']) -AuditLogPath $Audit
        $locked.Result | Should -Be 'MethodUnavailable'
        $locked.Challenge | Should -Contain 'SECURID (not applicable)'
        Unlock-RoSecurIdUser -Connection $Sid healthy@lab.example -AuditLogPath $Audit | Out-Null
        (Test-RoSecurIdCode -Connection $Sid -UserName healthy@lab.example -Code (Secure $Code['healthy@lab.example']) -AuditLogPath $Audit).Result | Should -Be 'Succeeded'
    }

    It 'reports a next-tokencode challenge, a user without token and a disabled user' {
        $next = Test-RoSecurIdCode -Connection $Sid -UserName nexttoken@lab.example -Code (Secure $Code['nexttoken@lab.example']) -AuditLogPath $Audit
        $next.Result | Should -Be 'Challenge'
        $next.Challenge[0] | Should -Match '^SECURID: .*next tokencode|new tokencode'
        (Stats).state.openAttempts | Should -Be 0
        $none = Test-RoSecurIdCode -Connection $Sid -UserName notoken@lab.example -Code (Secure '1234') -AuditLogPath $Audit
        $none.Result | Should -Be 'MethodUnavailable'
        $none.Challenge | Should -Be @('APPROVE')
        (Test-RoSecurIdCode -Connection $Sid -UserName disabled@lab.example -Code (Secure '1234') -AuditLogPath $Audit).AttemptReasonCode | Should -Be 'USER_DISABLED'
    }

    It 'refuses a plain-text code' {
        { Test-RoSecurIdCode -Connection $Sid -UserName healthy@lab.example -Code 'plain-123' -AuditLogPath $Audit } | Should -Throw '*plain-text*'
    }
}

Describe 'Administration sign-in: JWT and OAuth' -Tag 'Emulator' {
    BeforeEach { Reset }

    It 'accepts the audience with and without /v1, and refuses alg HS256, a foreign key, an expired or over-long token' {
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $rs = @{ typ = 'JWT'; alg = 'RS256' }
        (Invoke-Lookup (New-TestJwt $rs @{ sub = $AccessId; aud = "$($Emu.adminRestApiUrl)/v1"; iat = $now; exp = $now + 600 } $LabKey)).Status | Should -Be 200
        (Invoke-Lookup (New-TestJwt $rs @{ sub = $AccessId; aud = $Emu.adminRestApiUrl; iat = $now; exp = $now + 600 } $LabKey)).Status | Should -Be 200
        $refused = @(
            (New-TestJwt @{ typ = 'JWT'; alg = 'HS256' } @{ sub = $AccessId; aud = $Emu.adminRestApiUrl; iat = $now; exp = $now + 600 } $LabKey),
            (New-TestJwt $rs @{ sub = $AccessId; aud = $Emu.adminRestApiUrl; iat = $now; exp = $now + 600 } ([System.Security.Cryptography.RSA]::Create(2048))),
            (New-TestJwt $rs @{ sub = $AccessId; aud = $Emu.adminRestApiUrl; iat = $now - 4000; exp = $now - 400 } $LabKey),
            (New-TestJwt $rs @{ sub = $AccessId; aud = $Emu.adminRestApiUrl; iat = $now; exp = $now + 7200 } $LabKey),
            (New-TestJwt $rs @{ sub = $AccessId; aud = 'https://other.example/AdminInterface/restapi'; iat = $now; exp = $now + 600 } $LabKey))
        foreach ($jwt in $refused) {
            $reply = Invoke-Lookup $jwt
            $reply.Status | Should -Be 403
            ($reply.Body | ConvertFrom-Json).message | Should -Be 'Server failed to process provided access token'
        }
        # Within the 60 s skew an expired token still passes.
        (Invoke-Lookup (New-TestJwt $rs @{ sub = $AccessId; aud = $Emu.adminRestApiUrl; iat = $now - 630; exp = $now - 30 } $LabKey)).Status | Should -Be 200
    }

    It 'reports a key the service does not know as SecurIdAuthenticationFailed, without the key' {
        $foreign = Join-Path $TestDrive 'foreign-key.json'
        $pem = [System.Security.Cryptography.RSA]::Create(2048).ExportPkcs8PrivateKeyPem()
        @{ accessID = $AccessId; accessKey = $pem; adminRestApiUrl = "$($Emu.adminRestApiUrl)/v1" } | ConvertTo-Json | Set-Content $foreign
        $bad = Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -PublicKeyPin $Emu.spkiSha256 -NotDefault -Option @{ AdminApiKeyFile = $foreign }
        try {
            Get-RoSecurIdUser -Connection $bad healthy@lab.example -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'SecurIdAuthenticationFailed*'
            "$($failures[0])" | Should -Match 'access token'
            "$($failures[0])" | Should -Not -Match ([regex]::Escape(($pem -split "`n")[1]))
        }
        finally { Disconnect-RoAppliance -Connection $bad }
    }

    It 'refuses a key file that is missing, not JSON or without a key, naming the file but not its content' {
        $notJson = Join-Path $TestDrive 'not-json.json'
        Set-Content $notJson "-----BEGIN PRIVATE KEY-----`n$KeyBody`n"
        $noKey = Join-Path $TestDrive 'no-key.json'
        @{ accessID = 'x'; accessKey = 'secret-but-not-a-key'; adminRestApiUrl = 'https://x.example/AdminInterface/restapi/v1' } | ConvertTo-Json | Set-Content $noKey
        foreach ($file in (Join-Path $TestDrive 'missing.json'), $notJson, $noKey) {
            { Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -NotDefault -Option @{ AdminApiKeyFile = $file } } | Should -Throw "*$(Split-Path $file -Leaf)*"
            try { Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -NotDefault -Option @{ AdminApiKeyFile = $file } } catch { "$_" | Should -Not -Match ([regex]::Escape($KeyBody)); "$_" | Should -Not -Match 'secret-but-not-a-key' }
        }
        { Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -NotDefault -Option @{ AdminApiKeyFile = 'relative/key.json' } } | Should -Throw '*full path*'
        { Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -NotDefault -Option @{ AdminApiKeyFile = $Emu.adminApiKeyFile; AssuranceLevel = 'EXTREME' } } | Should -Throw '*LOW, MEDIUM, HIGH*'
    }

    It 'signs in as an OAuth client, keeps the token and gets a new one before it expires' {
        Invoke-EmulatorControl -Emulator $Emu -Method POST -Path '/_lab/settings' -Body @{ accessTokenLifetimeSec = 62 } | Out-Null
        $oauth = Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -PublicKeyPin $Emu.spkiSha256 -NotDefault -Option @{
            OAuthClientId = $Emu.oauthClientId; OAuthKeyFile = $Emu.oauthKeyFile; OAuthKeyId = $Emu.oauthKeyId; OAuthTokenUrl = $Emu.oauthTokenUrl }
        try {
            (Stats).state.accessTokensIssued | Should -Be 1
            (Get-RoSecurIdUser -Connection $oauth healthy@lab.example).Enabled | Should -BeTrue
            (Stats).state.accessTokensIssued | Should -Be 1
            Start-Sleep -Seconds 3   # now within the minute before expiry
            (Get-RoSecurIdUser -Connection $oauth healthy@lab.example).Enabled | Should -BeTrue
            (Stats).state.accessTokensIssued | Should -Be 2
        }
        finally { Disconnect-RoAppliance -Connection $oauth }
    }

    It 'refuses an OAuth client whose key does not match, at connect' {
        $other = Join-Path $TestDrive 'other.pem'
        [System.Security.Cryptography.RSA]::Create(2048).ExportRSAPrivateKeyPem() | Set-Content $other
        { Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -PublicKeyPin $Emu.spkiSha256 -NotDefault -Option @{
            OAuthClientId = $Emu.oauthClientId; OAuthKeyFile = $other; OAuthTokenUrl = $Emu.oauthTokenUrl } } | Should -Throw '*invalid_client*'
    }
}

Describe 'Busy and failing services' -Tag 'Emulator' {
    BeforeEach { Reset }
    AfterEach { Invoke-EmulatorControl -Emulator $Emu -Method DELETE -Path '/_lab/faults' | Out-Null }

    It 'retries 429 and dropped connections' {
        Invoke-EmulatorControl -Emulator $Emu -Method POST -Path '/_lab/faults' -Body @{ status429Every = 2; retryAfterSec = 0; count = 2 } | Out-Null
        (Get-RoSecurIdUser -Connection $Sid healthy@lab.example).Enabled | Should -BeTrue
        (Invoke-EmulatorControl -Emulator $Emu -Method GET -Path '/_lab/faults').faultsSpent | Should -Be 1
        Invoke-EmulatorControl -Emulator $Emu -Method POST -Path '/_lab/faults' -Body @{ dropEvery = 1; count = 1 } | Out-Null
        (Get-RoSecurIdUser -Connection $Sid healthy@lab.example).Enabled | Should -BeTrue
        (Stats).faults.drop | Should -Be 1
    }

    It 'reports a lasting 429 as SecurIdBusy and a 500 with the service''s code' {
        Invoke-EmulatorControl -Emulator $Emu -Method POST -Path '/_lab/faults' -Body @{ status429Every = 1; retryAfterSec = 0 } | Out-Null
        Get-RoSecurIdUser -Connection $Sid healthy@lab.example -ErrorAction SilentlyContinue -ErrorVariable busy | Should -BeNullOrEmpty
        $busy[0].FullyQualifiedErrorId | Should -BeLike 'SecurIdBusy*'
        Invoke-EmulatorControl -Emulator $Emu -Method POST -Path '/_lab/faults' -Body @{ failPathContains = 'devices'; failStatus = 500 } | Out-Null
        Get-RoSecurIdUser -Connection $Sid healthy@lab.example -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        "$($failed[0])" | Should -Match '500 INTERNAL_SERVER_ERROR'
    }

    It 'never sends a verify twice after a lost reply' {
        Invoke-EmulatorControl -Emulator $Emu -Method POST -Path '/_lab/faults' -Body @{ failPathContains = 'authn/verify'; failStatus = 502 } | Out-Null
        Test-RoSecurIdCode -Connection $Sid -UserName healthy@lab.example -Code (Secure $Code['healthy@lab.example']) -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        (Stats).requests.'POST /mfa/v1_1/authn/verify' | Should -Be 1
        "$($failed[0])" | Should -Not -Match $Code['healthy@lab.example']
    }

    It 'keeps the client key out of errors' {
        $wrong = [pscredential]::new('api', (Secure 'Wrong-Client-Key-12345'))
        $c = Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -Credential $wrong -PublicKeyPin $Emu.spkiSha256 -NotDefault `
            -Option @{ AdminApiKeyFile = $Emu.adminApiKeyFile; AuthApiUrl = $Emu.authApiUrl }
        try {
            Test-RoSecurIdCode -Connection $c -UserName healthy@lab.example -Code (Secure '1') -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecurIdAuthenticationFailed*'
            "$($failed[0])" + ($failed[0] | Format-List * -Force | Out-String) | Should -Not -Match 'Wrong-Client-Key'
            Get-Content $Audit -Raw | Should -Not -Match 'Wrong-Client-Key'
        }
        finally { Disconnect-RoAppliance -Connection $c }
    }
}

Describe 'Authentication Manager 8.x (Authentication API only)' -Tag 'Emulator' {
    BeforeAll {
        $script:Am = Start-ApplianceEmulator -Kind securid -ExtraArgument '--version', 'am'
        $amKey = [pscredential]::new('api', (ConvertTo-SecureString $Am.clientKey -AsPlainText -Force))
        $script:AmConn = Connect-RoAppliance -Driver SecurId -Address $Am.baseUrl -Credential $amKey -PublicKeyPin $Am.spkiSha256 -NotDefault `
            -Option @{ Deployment = 'AuthenticationManager'; AuthClientId = 'remoteops-agent'; AssuranceLevel = 'high' }
    }
    AfterAll {
        if ($script:AmConn) { Disconnect-RoAppliance -Connection $AmConn }
        if ($script:Am) { Stop-ApplianceEmulator -Emulator $Am }
    }

    It 'tests codes through the Authentication API' {
        $AmConn.Capabilities.ToString() | Should -Be 'SecondFactorCodeTest'
        $code = ($Am.users | Where-Object email -eq 'healthy@lab.example').tokencode
        (Test-RoSecurIdCode -Connection $AmConn -UserName healthy@lab.example -Code (ConvertTo-SecureString $code -AsPlainText -Force) -AuditLogPath $Audit).Result | Should -Be 'Succeeded'
    }

    It 'refuses administration with NotSupported, saying AM has no REST administration API' {
        foreach ($command in 'Get-RoSecurIdUser', 'Unlock-RoSecurIdUser', 'Disable-RoSecurIdUser', 'New-RoEmergencyAccessCode') {
            $err = $null
            $extra = if ($command -eq 'Get-RoSecurIdUser') { @{} } else { @{ AuditLogPath = $Audit; Confirm = $false } }
            try { & $command -Connection $AmConn -UserName healthy@lab.example @extra -ErrorAction Stop } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'SecurIdNotSupported*'
            "$err" | Should -Match 'no REST administration API'
        }
        (Invoke-EmulatorControl -Emulator $Am -Method GET -Path '/_lab/stats').requests.PSObject.Properties.Name | Should -Not -Match 'AdminInterface'
    }

    It 'refuses admin settings for AM at connect' {
        { Connect-RoAppliance -Driver SecurId -Address $Am.baseUrl -NotDefault -Option @{ Deployment = 'AuthenticationManager'; AdminApiKeyFile = $Emu.adminApiKeyFile } } |
            Should -Throw '*no REST administration API*'
    }
}
