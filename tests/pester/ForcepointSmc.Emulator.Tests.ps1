#requires -Version 7.2
# The ForcepointSmc driver against the lab emulator of the SMC REST API (API-client key, session
# cookie, HTTPS on loopback): rules planned, written with If-Match, uploaded and read back.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Smc = Start-ApplianceEmulator -Kind smc
    $script:Key = [pscredential]::new('api', (ConvertTo-SecureString $Smc.apiToken -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Options = @{ ApiVersion = '7.1'; PolicyName = $Smc.policy; EngineName = $Smc.engine }
    $script:Fw = Connect-RoAppliance -Driver ForcepointSmc -Address $Smc.baseUrl -Credential $Key -PublicKeyPin $Smc.spkiSha256 -Option $Options -NotDefault

    $script:Policy = @(
        @{ Name = 'web-in'; Action = 'Accept'; Source = @('staff'); Destination = @('192.0.2.80'); Protocol = 'Tcp'; Ports = @('443', '8000-8080'); Comment = 'HTTPS to the portal' }
        @{ Name = 'dns'; Action = 'Accept'; Source = @('10.20.0.0/16'); Protocol = 'Udp'; Ports = @('53') }
        @{ Name = 'ping'; Action = 'Accept'; Protocol = 'Icmp'; Destination = @('192.0.2.1-192.0.2.9') }
        @{ Name = 'no-telnet'; Action = 'Reject'; Protocol = 'Tcp'; Ports = @('23'); Enabled = $false }
    )
    $script:Objects = @{ staff = @('10.10.0.0/16', '10.11.0.5') }

    function Get-Options([hashtable] $Change) { $o = $Options.Clone(); foreach ($k in $Change.Keys) { $o[$k] = $Change[$k] }; $o }
    function Get-SmcStats { Invoke-EmulatorControl -Emulator $Smc -Method GET -Path '/_lab/stats' }
    # Requests that change something (the login POST aside).
    function Get-WriteCount($Stats) {
        ($Stats.requests.PSObject.Properties | Where-Object { $_.Name -match '^(POST|PUT|DELETE) ' -and $_.Name -notmatch '/login$' } | Measure-Object -Property Value -Sum).Sum
    }
}

AfterAll {
    if ($script:Fw) { Disconnect-RoAppliance -Connection $Fw }
    if ($script:Smc) { Stop-ApplianceEmulator -Emulator $Smc }
}

Describe 'Forcepoint SMC through its REST API' -Tag 'Emulator', 'Firewall' {
    It 'connects with the API key on the pinned version and reads no rule of its own yet' {
        $Fw.Driver | Should -Be 'ForcepointSmc'
        $Fw.Capabilities | Should -Be 'FirewallPolicy'
        $Fw.Version | Should -Be 'SMC API 7.1'
        @(Get-RoFirewallRule -Connection $Fw).Count | Should -Be 0
    }

    It 'sends nothing with -WhatIf' {
        $before = Get-WriteCount (Get-SmcStats)
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -WhatIf -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Planned'
        $r.Added | Should -Be 4
        Get-WriteCount (Get-SmcStats) | Should -Be $before
        (Get-SmcStats).state.rules | Should -Be @('Allow management', 'Discard the rest')
    }

    It 'refuses an Input rule before anything is sent' {
        $before = Get-WriteCount (Get-SmcStats)
        $inputRule = @(@{ Name = 'to-engine'; Action = 'Accept'; Chain = 'Input'; Protocol = 'Tcp'; Ports = @('22') })
        { Set-RoFirewallPolicy -Connection $Fw -Rule $inputRule -Confirm:$false -AuditLogPath $Audit } | Should -Throw -ExpectedMessage '*Chain Input*no chains*'
        { Set-RoFirewallPolicy -Connection $Fw -Rule $inputRule -WhatIf -AuditLogPath $Audit } | Should -Throw -ErrorId 'FirewallInvalidRule,*'
        Get-WriteCount (Get-SmcStats) | Should -Be $before
    }

    It 'applies the policy, uploads it to the engine, and leaves the administrator''s rules alone' {
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $r.Added | Should -Be 4
        $stats = Get-SmcStats
        $stats.state.rules | Should -Be @('remoteops-web-in', 'remoteops-dns', 'remoteops-ping', 'remoteops-no-telnet', 'Allow management', 'Discard the rest')
        $stats.state.uploads | Should -Be 1
        $stats.state.pendingChanges | Should -Be 0
        $stats.state.elements.tcp_service | Should -Be 3
        $stats.state.elements.group | Should -Be 1
    }

    It 'reads the policy back with Get-RoFirewallRule' {
        $rules = @(Get-RoFirewallRule -Connection $Fw)
        $rules.Name | Should -Be @('web-in', 'dns', 'ping', 'no-telnet')
        $rules[0].Source | Should -Be @('staff')
        $rules[0].Ports | Sort-Object | Should -Be @('443', '8000-8080')
        $rules[0].Comment | Should -Be 'HTTPS to the portal'
        $rules[1].Protocol | Should -Be 'Udp'
        $rules[2].Destination | Should -Be @('192.0.2.1-192.0.2.9')
        $rules[3].Action | Should -Be 'Reject'
        $rules[3].Enabled | Should -BeFalse
    }

    It 'changes nothing on a second run' {
        $before = Get-SmcStats
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'NoChange'
        $r.Unchanged | Should -Be 4
        $after = Get-SmcStats
        Get-WriteCount $after | Should -Be (Get-WriteCount $before)
        $after.state.uploads | Should -Be $before.state.uploads
    }

    It 'reads each rule once to plan and once to verify: the backup and the change reuse the plan''s read' {
        $ruleGet = 'GET /{ver}/elements/fw_policy/{id:int}/fw_ipv4_access_rule/{rid:int}'
        $changed = @($Policy[0], $Policy[1], $Policy[2], ($Policy[3].Clone()))
        $changed[3].Comment = 'still no telnet'
        $before = (Get-SmcStats).requests.$ruleGet
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $changed -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $r.Changed | Should -Be 1
        $r.BackupPath | Should -Exist
        ((Get-SmcStats).requests.$ruleGet - $before) | Should -Be 8
        (Get-RoFirewallRule -Connection $Fw | Where-Object Name -EQ 'no-telnet').Comment | Should -Be 'still no telnet'
    }

    It 'reads unchanged rules and elements again without their bodies (If-None-Match, 304)' {
        $before = Get-SmcStats
        @(Get-RoFirewallRule -Connection $Fw).Count | Should -Be 4
        $after = Get-SmcStats
        $ruleGet = 'GET /{ver}/elements/fw_policy/{id:int}/fw_ipv4_access_rule/{rid:int}'
        ($after.requests.$ruleGet - $before.requests.$ruleGet) | Should -Be 4
        # 4 rules and the elements behind them, all read before by this connection.
        ($after.state.notModified - $before.state.notModified) | Should -BeGreaterThan 4
    }

    It 'moves, changes and removes rules, and changes the address object' {
        $next = @(
            $Policy[1]
            @{ Name = 'web-in'; Action = 'Accept'; Source = @('staff'); Destination = @('192.0.2.81'); Protocol = 'Tcp'; Ports = @('443'); Comment = 'HTTPS to the new portal' }
            $Policy[3]
        )
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $next -AddressObject @{ staff = @('10.10.0.0/16') } -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $r.Removed | Should -Be 1
        (Get-SmcStats).state.rules | Should -Be @('remoteops-dns', 'remoteops-web-in', 'remoteops-no-telnet', 'Allow management', 'Discard the rest')
        $rules = @(Get-RoFirewallRule -Connection $Fw)
        $rules[1].Destination | Should -Be @('192.0.2.81')
        (Set-RoFirewallPolicy -Connection $Fw -Rule $next -AddressObject @{ staff = @('10.10.0.0/16') } -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
    }

    It 'recovers from 409s when someone else changes the rules it writes' {
        Invoke-EmulatorControl -Emulator $Smc -Method POST -Path '/_lab/settings' -Body @{ concurrentEditsNext = 2 } | Out-Null
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule ($Policy | Select-Object -Skip 1) -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        (Get-SmcStats).state.conflicts | Should -BeGreaterOrEqual 2
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Be @('dns', 'ping', 'no-telnet')
    }

    It 'logs in again when the session has expired' {
        $logins = (Get-SmcStats).state.logins
        Invoke-EmulatorControl -Emulator $Smc -Method POST -Path '/_lab/faults' -Body @{ expireApiKeysNow = $true } | Out-Null
        @(Get-RoFirewallRule -Connection $Fw).Count | Should -Be 3
        (Get-SmcStats).state.logins | Should -Be ($logins + 1)
    }

    It 'rides out 503s and dropped connections' {
        Invoke-EmulatorControl -Emulator $Smc -Method POST -Path '/_lab/faults' -Body @{ status503Every = 3; dropEvery = 5; retryAfterSec = 0; count = 6 } | Out-Null
        try {
            $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
            $r.Outcome | Should -Be 'Updated'
        }
        finally { Invoke-EmulatorControl -Emulator $Smc -Method DELETE -Path '/_lab/faults' | Out-Null }
        (Get-SmcStats).faultsTotal | Should -Be 6
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Be @('web-in', 'dns', 'ping', 'no-telnet')
    }

    It 'reports an upload the engine refuses, with the engine''s message' {
        Invoke-EmulatorControl -Emulator $Smc -Method POST -Path '/_lab/settings' -Body @{ uploadFailure = 'fw-lab-1: Policy installation failed: interface 3 has no address' } | Out-Null
        try {
            $extra = $Policy + @{ Name = 'smtp'; Action = 'Drop'; Protocol = 'Tcp'; Ports = @('25') }
            { Set-RoFirewallPolicy -Connection $Fw -Rule $extra -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit } |
                Should -Throw -ErrorId 'FirewallFailed,RemoteOps.Commands.SetRoFirewallPolicyCommand' -ExpectedMessage '*interface 3 has no address*'
        }
        finally { Invoke-EmulatorControl -Emulator $Smc -Method POST -Path '/_lab/settings' -Body @{ uploadFailure = $null } | Out-Null }
        $failed = Get-Content $Audit | ConvertFrom-Json | Where-Object outcome -EQ 'Failed' | Select-Object -Last 1
        $failed.detail | Should -Match 'interface 3 has no address'
        # The rules written before the failed upload are put back, and that policy is uploaded too
        # (and refused again by the same engine): the SMC holds what the engine runs.
        (Get-SmcStats).state.uploadsFailed | Should -Be 2
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Not -Contain 'smtp'
    }

    It 'uploads again when the SMC holds the policy but the engine never got it (after a failed upload)' {
        # The failed upload above left the SMC holding $Policy with pending changes the engine never received.
        $before = Get-SmcStats
        $before.state.pendingChanges | Should -BeGreaterThan 0
        $planned = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -WhatIf -AuditLogPath $Audit 6>$null
        $planned.Outcome | Should -Be 'Planned'
        $planned.Unchanged | Should -Be 4
        $planned.Changes | Should -BeLike "upload: the engine 'fw-lab-1' does not run what the SMC holds (*remoteops-smtp*"
        $planned.PlanText | Should -Match '! upload: '
        (Get-SmcStats).state.uploads | Should -Be $before.state.uploads

        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $after = Get-SmcStats
        $after.state.uploads | Should -Be ($before.state.uploads + 1)
        $after.state.uploadsFailed | Should -Be $before.state.uploadsFailed
        $after.state.pendingChanges | Should -Be 0
        Get-WriteCount $after | Should -Be ((Get-WriteCount $before) + 1)
        (Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        (Get-SmcStats).state.uploads | Should -Be $after.state.uploads
    }

    It 'writes the action as a string on API 6.5 and reads it back' {
        $old = Connect-RoAppliance -Driver ForcepointSmc -Address $Smc.baseUrl -Credential $Key -PublicKeyPin $Smc.spkiSha256 -Option (Get-Options @{ ApiVersion = '6.5'; NamePrefix = 'ro65-' }) -NotDefault
        try {
            $old.Version | Should -Be 'SMC API 6.5'
            $r = Set-RoFirewallPolicy -Connection $old -Rule @(@{ Name = 'legacy'; Action = 'Drop'; Protocol = 'Tcp'; Ports = @('25') }) -Confirm:$false -AuditLogPath $Audit
            $r.Outcome | Should -Be 'Updated'
            (Get-RoFirewallRule -Connection $old).Action | Should -Be 'Drop'
            @(Get-RoFirewallRule -Connection $Fw).Name | Should -Not -Contain 'legacy'
        }
        finally { Disconnect-RoAppliance -Connection $old }
    }

    It 'refuses an API version the SMC does not serve, naming the ones it does' {
        { Connect-RoAppliance -Driver ForcepointSmc -Address $Smc.baseUrl -Credential $Key -PublicKeyPin $Smc.spkiSha256 -Option (Get-Options @{ ApiVersion = '9.9' }) -NotDefault } |
            Should -Throw -ExpectedMessage '*6.5, 6.6, 6.10, 7.0, 7.1*9.9*'
        { Connect-RoAppliance -Driver ForcepointSmc -Address $Smc.baseUrl -Credential $Key -PublicKeyPin $Smc.spkiSha256 -Option @{ PolicyName = 'p'; EngineName = 'e' } -NotDefault } |
            Should -Throw -ExpectedMessage '*ApiVersion*'
    }

    It 'refuses a wrong key with an AuthenticationError, and no key appears in output, errors or the audit log' {
        $bad = [pscredential]::new('api', (ConvertTo-SecureString 'WrongSmcKey0123456789' -AsPlainText -Force))
        try { Connect-RoAppliance -Driver ForcepointSmc -Address $Smc.baseUrl -Credential $bad -PublicKeyPin $Smc.spkiSha256 -Option $Options -NotDefault -ErrorAction Stop; throw 'no error' }
        catch {
            $_.FullyQualifiedErrorId | Should -BeLike 'ApplianceAuthenticationFailed,*'
            $_.CategoryInfo.Category | Should -Be 'AuthenticationError'
            ($_ | Out-String) | Should -Not -Match 'WrongSmcKey0123456789'
        }
        $everything = (Get-Content -Raw $Audit) + ($Fw | Format-List * | Out-String) + (Get-RoFirewallRule -Connection $Fw | Format-List * | Out-String)
        $everything | Should -Not -Match ([regex]::Escape($Smc.apiToken))
    }

    It 'logs out when the connection is closed' {
        $extra = Connect-RoAppliance -Driver ForcepointSmc -Address $Smc.baseUrl -Credential $Key -PublicKeyPin $Smc.spkiSha256 -Option $Options -NotDefault
        $logouts = (Get-SmcStats).state.logouts
        Disconnect-RoAppliance -Connection $extra
        (Get-SmcStats).state.logouts | Should -Be ($logouts + 1)
    }
}
