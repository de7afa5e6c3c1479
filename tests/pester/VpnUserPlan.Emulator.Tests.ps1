#requires -Version 7.2
# The VPN user cmdlets read each user before asking ShouldProcess, so -WhatIf and -Confirm name the
# real steps (create, set groups, enable, nothing), and apply them only after; checked against the
# lab emulators of FortiOS and Connect Secure.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'WhatIfText.psm1') -Force
    $script:Secret = 'Plan-Pa55-S3cret!'
    $script:Password = ConvertTo-SecureString $Secret -AsPlainText -Force

    # Requests that change users or groups (reads, sign-ins and lab control are not counted).
    function Get-UserWriteCount($Emulator) {
        $stats = Invoke-EmulatorControl -Emulator $Emulator -Method GET -Path '/_lab/stats'
        $writes = $stats.requests.PSObject.Properties | Where-Object { $_.Name -notmatch '^GET ' -and $_.Name -match '/user' }
        return [int] ($writes | Measure-Object -Property Value -Sum).Sum
    }
}

Describe 'VPN user plans on a FortiGate' -Tag 'Emulator' {
    BeforeAll {
        $script:Fgt = Start-ApplianceEmulator -Kind fortios
        $script:Fw = Connect-RoVpnAppliance -Driver FortiGate -Address $Fgt.baseUrl -PublicKeyPin $Fgt.spkiSha256 -NotDefault `
            -Credential ([pscredential]::new('api', (ConvertTo-SecureString $Fgt.apiToken -AsPlainText -Force)))
        $script:Audit = Join-Path $TestDrive 'audit.jsonl'
        # The seeded users: bob is in SSLVPN_Users (as the rows want), alice in no group.
        $script:Rows = @(
            [pscustomobject]@{ UserName = 'plan.new'; Group = 'SSLVPN_Users' }
            [pscustomobject]@{ UserName = 'alice'; Group = 'SSLVPN_Users' }
            [pscustomobject]@{ UserName = 'bob'; Group = 'SSLVPN_Users' }
        )
        $script:ConnectInChild = @"
`$token = [pscredential]::new('api', (ConvertTo-SecureString '$($Fgt.apiToken)' -AsPlainText -Force))
`$fw = Connect-RoVpnAppliance -Driver FortiGate -Address '$($Fgt.baseUrl)' -Credential `$token -PublicKeyPin '$($Fgt.spkiSha256)'
`$password = ConvertTo-SecureString '$Secret' -AsPlainText -Force
`$rows = @(
    [pscustomobject]@{ UserName = 'plan.new'; Group = 'SSLVPN_Users' }
    [pscustomobject]@{ UserName = 'alice'; Group = 'SSLVPN_Users' }
    [pscustomobject]@{ UserName = 'bob'; Group = 'SSLVPN_Users' }
)
"@
    }

    AfterAll {
        if ($script:Fw) { Disconnect-RoVpnAppliance -Connection $Fw }
        if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
    }

    It '-WhatIf prints the steps of each user as read (create, set groups, nothing) and changes nothing' {
        $writes = Get-UserWriteCount $Fgt
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script "$ConnectInChild`n`$rows | New-RoVpnUser -Password `$password -AuditLogPath '$Audit' -WhatIf | Out-Null"
        $whatIf = @($lines | Where-Object { $_ -like 'What if:*' } | Sort-Object)
        $whatIf | Should -Be @(
            "What if: Performing the operation ""Create VPN user (groups: SSLVPN_Users; enabled)"" on target ""plan.new@$($Fw.Address)""."
            "What if: Performing the operation ""No change: VPN user already as wanted"" on target ""bob@$($Fw.Address)""."
            "What if: Performing the operation ""Set groups none -> SSLVPN_Users"" on target ""alice@$($Fw.Address)""."
        )
        ($lines -join "`n") | Should -Not -Match 'S3cret'
        Get-UserWriteCount $Fgt | Should -Be $writes
        Get-RoVpnUser -Connection $Fw -UserName 'plan.new' | Should -BeNullOrEmpty
        (Get-RoVpnUser -Connection $Fw -UserName 'alice').Groups | Should -BeNullOrEmpty
        Test-Path $Audit | Should -BeFalse
    }

    It '-WhatIf writes each row''s plan as an object: Planned with the steps, or NoChange' {
        $r = @($Rows | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit -WhatIf | Sort-Object Row)
        $r.Outcome | Should -Be @('Planned', 'Planned', 'NoChange')
        $r[0].Changes | Should -Be @('create')
        $r[1].Changes | Should -Be @('groups: (none) -> SSLVPN_Users')
        Test-Path $Audit | Should -BeFalse
    }

    It 'applies the steps -WhatIf showed, reads them back, and a second run changes nothing' {
        $first = @($Rows | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit | Sort-Object Row)
        $first.Outcome | Should -Be @('Created', 'Updated', 'NoChange')
        $first[1].Changes | Should -Be @('groups: (none) -> SSLVPN_Users')
        (Get-RoVpnUser -Connection $Fw -UserName 'plan.new').Groups | Should -Be @('SSLVPN_Users')
        (Get-RoVpnUser -Connection $Fw -UserName 'alice').Groups | Should -Be @('SSLVPN_Users')

        $writes = Get-UserWriteCount $Fgt
        $second = @($Rows | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit)
        @($second | Where-Object Outcome -ne 'NoChange') | Should -BeNullOrEmpty
        Get-UserWriteCount $Fgt | Should -Be $writes
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script "$ConnectInChild`n`$rows | New-RoVpnUser -Password `$password -AuditLogPath '$Audit' -WhatIf | Out-Null"
        @($lines | Where-Object { $_ -like 'What if:*' -and $_ -notlike '*No change: VPN user already as wanted*' }) | Should -BeNullOrEmpty
    }

    It 'Set-RoVpnUser -WhatIf names the groups as they are and as they would be, and a password reset without the password' {
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script "$ConnectInChild`nSet-RoVpnUser -UserName alice -Group @() -Password `$password -AuditLogPath '$Audit' -WhatIf | Out-Null"
        @($lines | Where-Object { $_ -like 'What if:*' }) | Should -Be @(
            "What if: Performing the operation ""Set groups SSLVPN_Users -> none; Reset password"" on target ""alice@$($Fw.Address)"".")
        ($lines -join "`n") | Should -Not -Match 'S3cret'
        (Get-RoVpnUser -Connection $Fw -UserName 'alice').Groups | Should -Be @('SSLVPN_Users')
    }

    It '-Confirm asks with the steps of the user as read; No changes nothing, Yes applies them' {
        $ask = "$ConnectInChild`n`$r = Set-RoVpnUser -UserName alice -Group @() -AuditLogPath '$Audit' -Confirm`n""OUTCOME=`$(`$r.Outcome)"""
        $declined = (Invoke-WhatIfScript -Folder $TestDrive -Script $ask -Answer 'N') -join ' ' -replace '\s+', ' '
        $declined | Should -Match ([regex]::Escape("Performing the operation ""Set groups SSLVPN_Users -> none"" on target ""alice@$($Fw.Address)"""))
        $declined | Should -Match 'OUTCOME=Planned'
        (Get-RoVpnUser -Connection $Fw -UserName 'alice').Groups | Should -Be @('SSLVPN_Users')

        $accepted = (Invoke-WhatIfScript -Folder $TestDrive -Script $ask -Answer 'Y') -join ' ' -replace '\s+', ' '
        $accepted | Should -Match 'OUTCOME=Updated'
        (Get-RoVpnUser -Connection $Fw -UserName 'alice').Groups | Should -BeNullOrEmpty
    }

    It 'Remove-RoVpnUser -WhatIf names the user as it is, or that it is already gone, even with -Force' {
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script "$ConnectInChild`n'plan.new', 'nobody.here' | ForEach-Object { [pscustomobject]@{ UserName = `$_ } } | Remove-RoVpnUser -Force -AuditLogPath '$Audit' -WhatIf | Out-Null"
        @($lines | Where-Object { $_ -like 'What if:*' } | Sort-Object) | Should -Be @(
            "What if: Performing the operation ""No change: VPN user already absent"" on target ""nobody.here@$($Fw.Address)""."
            "What if: Performing the operation ""Remove VPN user (enabled; groups: SSLVPN_Users) and end its sessions"" on target ""plan.new@$($Fw.Address)"".")
        Get-RoVpnUser -Connection $Fw -UserName 'plan.new' | Should -Not -BeNullOrEmpty
        $r = Remove-RoVpnUser -Connection $Fw -UserName 'plan.new' -Force -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Removed'
        Get-RoVpnUser -Connection $Fw -UserName 'plan.new' | Should -BeNullOrEmpty
    }
}

Describe 'VPN user plans on Connect Secure' -Tag 'Emulator' {
    BeforeAll {
        $script:Ics = Start-ApplianceEmulator -Kind ics
        $script:Admin = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString $Ics.adminPassword -AsPlainText -Force))
        $script:Cs = Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $Admin -PublicKeyPin $Ics.spkiSha256 -NotDefault
        $script:Audit = Join-Path $TestDrive 'audit.jsonl'
        # The seeded users alice and bob are enabled; bob is wanted disabled. Realms are only checked to exist.
        $script:ConnectInChild = @"
`$admin = [pscredential]::new('$($Ics.adminUser)', (ConvertTo-SecureString '$($Ics.adminPassword)' -AsPlainText -Force))
`$cs = Connect-RoVpnAppliance -Driver ConnectSecure -Address '$($Ics.baseUrl)' -Credential `$admin -PublicKeyPin '$($Ics.spkiSha256)'
`$password = ConvertTo-SecureString '$Secret' -AsPlainText -Force
"@
    }

    AfterAll {
        if ($script:Cs) { Disconnect-RoVpnAppliance -Connection $Cs }
        if ($script:Ics) { Stop-ApplianceEmulator -Emulator $Ics }
    }

    It '-WhatIf prints the steps of each user as read (create, disable, nothing) and changes nothing' {
        $writes = Get-UserWriteCount $Ics
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script @"
$ConnectInChild
[pscustomobject]@{ UserName = 'plan.new'; Realm = 'Users' }, [pscustomobject]@{ UserName = 'alice'; Realm = 'Users' } | New-RoVpnUser -Password `$password -AuditLogPath '$Audit' -WhatIf | Out-Null
Set-RoVpnUser -UserName bob -Enabled:`$false -AuditLogPath '$Audit' -WhatIf | Out-Null
"@
        @($lines | Where-Object { $_ -like 'What if:*' } | Sort-Object) | Should -Be @(
            "What if: Performing the operation ""Create VPN user (enabled)"" on target ""plan.new@$($Cs.Address)""."
            "What if: Performing the operation ""Disable VPN user (ends its sessions)"" on target ""bob@$($Cs.Address)""."
            "What if: Performing the operation ""No change: VPN user already as wanted"" on target ""alice@$($Cs.Address)""."
        )
        ($lines -join "`n") | Should -Not -Match 'S3cret'
        Get-UserWriteCount $Ics | Should -Be $writes
        Get-RoVpnUser -Connection $Cs -UserName 'plan.new' | Should -BeNullOrEmpty
        (Get-RoVpnUser -Connection $Cs -UserName 'bob').Enabled | Should -BeTrue
        Test-Path $Audit | Should -BeFalse
    }

    It 'applies and verifies the steps, and a second run changes nothing' {
        $created = [pscustomobject]@{ UserName = 'plan.new'; Realm = 'Users' } | New-RoVpnUser -Connection $Cs -Password $Password -AuditLogPath $Audit
        $created.Outcome | Should -Be 'Created'
        $disabled = Set-RoVpnUser -Connection $Cs -UserName bob -Enabled:$false -AuditLogPath $Audit
        $disabled.Outcome | Should -Be 'Updated'
        $disabled.Changes | Should -Be @("disable (ends the user's sessions)")
        (Get-RoVpnUser -Connection $Cs -UserName 'bob').Enabled | Should -BeFalse

        $writes = Get-UserWriteCount $Ics
        ([pscustomobject]@{ UserName = 'plan.new'; Realm = 'Users' } | New-RoVpnUser -Connection $Cs -Password $Password -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        (Set-RoVpnUser -Connection $Cs -UserName bob -Enabled:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        Get-UserWriteCount $Ics | Should -Be $writes
        (Get-RoAuditLog -Path $Audit).Outcome | Should -Be @('Created', 'Updated')
    }

    It 'plans and applies a list of rows in parallel, not one row after another' {
        Invoke-EmulatorControl -Emulator $Ics -Method POST -Path '/_lab/faults' -Body @{ latencyMs = 300 } | Out-Null
        try {
            $rows = 1..32 | ForEach-Object { [pscustomobject]@{ UserName = 'bulk{0:d2}' -f $_; Realm = 'Users' } }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $r = @($rows | New-RoVpnUser -Connection $Cs -Password $Password -AuditLogPath $Audit)
            $clock.Stop()
        }
        finally { Invoke-EmulatorControl -Emulator $Ics -Method DELETE -Path '/_lab/faults' | Out-Null }
        @($r | Where-Object Outcome -eq 'Created').Count | Should -Be 32
        # Each row is a read, a create and a read back, 0.3 s each: one after another that is about 29 s.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 12 -Because 'rows are planned and applied 16 at a time'
    }
}
