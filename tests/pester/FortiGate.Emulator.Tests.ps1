#requires -Version 7.2
# The FortiGate driver against the lab emulator of FortiOS's REST API (token auth, HTTPS on loopback).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Fgt = Start-ApplianceEmulator -Kind fortios
    $script:Token = [pscredential]::new('api', (ConvertTo-SecureString $Fgt.apiToken -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Fw = Connect-RoVpnAppliance -Driver FortiGate -Address $Fgt.baseUrl -Credential $Token -PublicKeyPin $Fgt.spkiSha256 -NotDefault
    $script:Password = ConvertTo-SecureString 'Forti-Initial-77!' -AsPlainText -Force
}

AfterAll {
    if ($script:Fw) { Disconnect-RoVpnAppliance -Connection $Fw }
    if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
}

Describe 'FortiGate SSL-VPN through the FortiOS REST API' -Tag 'Emulator' {
    It 'connects with the API token and reads the seeded users with their groups' {
        $Fw.Driver | Should -Be 'FortiGate'
        $Fw.Version | Should -Match 'FortiOS'
        (Get-RoVpnUser -Connection $Fw -UserName bob).Groups | Should -Be @('SSLVPN_Users')
    }

    It 'creates users into a group, and a second run changes nothing' {
        $rows = 1..20 | ForEach-Object { [pscustomobject]@{ UserName = 'fgt{0:d2}' -f $_; Group = 'SSLVPN_Users' } }
        $first = @($rows | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit)
        @($first | Where-Object Outcome -eq 'Created').Count | Should -Be 20
        (Get-RoVpnUser -Connection $Fw -UserName fgt07).Groups | Should -Be @('SSLVPN_Users')
        @($rows | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit | Where-Object Outcome -eq 'NoChange').Count | Should -Be 20
    }

    It 'refuses a plain-text Password column with a clear error, also with -GeneratePassword' {
        $rows = "UserName,Password,Group`nplain01,Csv-Secret-1!,SSLVPN_Users`nplain02,Csv-Secret-2!,SSLVPN_Users" | ConvertFrom-Csv
        $out = @($rows | New-RoVpnUser -Connection $Fw -GeneratePassword -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failures)
        $out | Should -BeNullOrEmpty
        $failures.Count | Should -Be 2
        foreach ($failure in $failures) {
            "$failure" | Should -Match 'plain-text password is not accepted'
            "$failure" | Should -Not -Match 'Csv-Secret'
        }
        Get-RoVpnUser -Connection $Fw -UserName plain01 | Should -BeNullOrEmpty
        Get-RoVpnUser -Connection $Fw -UserName plain02 | Should -BeNullOrEmpty
        Get-Content $Audit -Raw -ErrorAction SilentlyContinue | Should -Not -Match 'Csv-Secret'
    }

    It 'takes a Password property that is a SecureString' {
        $row = [pscustomobject]@{ UserName = 'secure01'; Password = (ConvertTo-SecureString 'Row-Secret-9!' -AsPlainText -Force) }
        ($row | New-RoVpnUser -Connection $Fw -AuditLogPath $Audit).Outcome | Should -Be 'Created'
    }

    It 'refuses the later of two rows for the same user, in input order, before sending it' {
        $rows = 'dup01', 'other01', 'DUP01' | ForEach-Object { [pscustomobject]@{ UserName = $_; Group = 'SSLVPN_Users' } }
        $out = @($rows | New-RoVpnUser -Connection $Fw -GeneratePassword -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failures)
        ($out | Sort-Object Row | ForEach-Object { "$($_.Row) $($_.UserName) $($_.Outcome)" }) | Should -Be @('1 dup01 Created', '2 other01 Created')
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidVpnUserRow*'
        "$($failures[0])" | Should -Match "^Row 3, UserName: 'DUP01' already appears in row 1"
    }

    It 'refuses an unknown group before creating anything' {
        $r = [pscustomobject]@{ UserName = 'fgt-nogroup'; Group = 'No_Such_Group' } | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit -ErrorAction SilentlyContinue
        $r.Outcome | Should -Be 'Failed'
        Get-RoVpnUser -Connection $Fw -UserName 'fgt-nogroup' | Should -BeNullOrEmpty
    }

    It 'disables a user and ends its sessions' {
        Invoke-EmulatorControl -Emulator $Fgt -Method POST -Path '/_lab/sessions' -Body @{ count = 2; user = 'fgt01'; tunnel = $true } | Out-Null
        @(Get-RoVpnSession -Connection $Fw -UserName fgt01).Count | Should -Be 2
        (Set-RoVpnUser -Connection $Fw -UserName fgt01 -Enabled:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        @(Get-RoVpnSession -Connection $Fw -UserName fgt01).Count | Should -Be 0
        (Get-RoVpnUser -Connection $Fw -UserName fgt01).Enabled | Should -BeFalse
    }

    It 'moves a user between groups and removes a group member' {
        (Set-RoVpnUser -Connection $Fw -UserName fgt02 -Group @() -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        (Get-RoVpnUser -Connection $Fw -UserName fgt02).Groups | Should -BeNullOrEmpty
        (Remove-RoVpnUser -Connection $Fw -UserName fgt03 -Force -AuditLogPath $Audit).Outcome | Should -Be 'Removed'
        Get-RoVpnUser -Connection $Fw -UserName fgt03 | Should -BeNullOrEmpty
    }

    It 'says which groups a user lost when its removal fails after taking it out of them' {
        $made = [pscustomobject]@{ UserName = 'fgtheld'; Group = 'SSLVPN_Users' } | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit
        $made.Outcome | Should -Be 'Created'
        Invoke-EmulatorControl -Emulator $Fgt -Method POST -Path '/_lab/references' -Body @{ user = 'fgtheld'; by = 'firewall policy 7' } | Out-Null
        $r = Remove-RoVpnUser -Connection $Fw -UserName fgtheld -Force -AuditLogPath $Audit -ErrorAction SilentlyContinue
        $r.Outcome | Should -Be 'Failed'
        $r.Message | Should -Match 'taken out of its groups \(SSLVPN_Users\)'
        $r.Message | Should -Match 'Set-RoVpnUser -UserName fgtheld -Group SSLVPN_Users'
        (Get-RoVpnUser -Connection $Fw -UserName fgtheld).Groups | Should -BeNullOrEmpty
    }

    It 'reports capacity, HA peers and a backup without password values' {
        $capacity = Get-RoVpnCapacity -Connection $Fw
        $capacity.MaximumSessions | Should -BeGreaterThan 0
        $ha = Get-RoVpnClusterStatus -Connection $Fw
        $ha.Nodes.Count | Should -Be 2
        $ha.Leader | Should -Not -BeNullOrEmpty
        $path = Join-Path $TestDrive 'fgt.json'
        Export-RoVpnConfig -Connection $Fw -Path $path | Out-Null
        $text = Get-Content -Raw $path
        $text | Should -Match 'config user local'
        $text | Should -Not -Match 'set passwd ENC'
    }

    It 'refuses a wrong token with an AuthenticationError and never shows the token' {
        $bad = [pscredential]::new('api', (ConvertTo-SecureString 'WrongToken0123456789' -AsPlainText -Force))
        try { Connect-RoVpnAppliance -Driver FortiGate -Address $Fgt.baseUrl -Credential $bad -PublicKeyPin $Fgt.spkiSha256 -NotDefault -ErrorAction Stop; throw 'no error' }
        catch {
            $_.FullyQualifiedErrorId | Should -Be 'VpnAuthenticationFailed,RemoteOps.Commands.ConnectRoVpnApplianceCommand'
            ($_ | Out-String) | Should -Not -Match 'WrongToken0123456789'
        }
        Invoke-EmulatorControl -Emulator $Fgt -Method POST -Path '/_lab/settings' -Body @{ clearLockout = $true } | Out-Null
    }
}
