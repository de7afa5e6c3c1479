#requires -Version 7.2
# Import-RoVpnConfig against the lab emulator of FortiOS's REST API: a backup's users put back.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Fgt = Start-ApplianceEmulator -Kind fortios
    $script:Token = [pscredential]::new('api', (ConvertTo-SecureString $Fgt.apiToken -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Backup = Join-Path $TestDrive 'fgt-backup.json'
    $script:Fw = Connect-RoVpnAppliance -Driver FortiGate -Address $Fgt.baseUrl -Credential $Token -PublicKeyPin $Fgt.spkiSha256 -NotDefault
    $script:Password = ConvertTo-SecureString 'Forti-Restore-77!' -AsPlainText -Force

    $rows = 1..4 | ForEach-Object { [pscustomobject]@{ UserName = 'rst{0:d2}' -f $_; Group = 'SSLVPN_Users' } }
    $rows | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit | Out-Null
    Set-RoVpnUser -Connection $Fw -UserName rst02 -Enabled:$false -AuditLogPath $Audit | Out-Null
    Export-RoVpnConfig -Connection $Fw -Path $Backup | Out-Null

    # What happened after the backup: one user lost, one enabled, one out of its group, one added.
    Remove-RoVpnUser -Connection $Fw -UserName rst01 -Force -AuditLogPath $Audit | Out-Null
    Set-RoVpnUser -Connection $Fw -UserName rst02 -Enabled -AuditLogPath $Audit | Out-Null
    Set-RoVpnUser -Connection $Fw -UserName rst03 -Group @() -AuditLogPath $Audit | Out-Null
    [pscustomobject]@{ UserName = 'rst-late' } | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $Audit | Out-Null
}

AfterAll {
    if ($script:Fw) { Disconnect-RoVpnAppliance -Connection $Fw }
    if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
}

Describe 'Import-RoVpnConfig on a FortiGate' -Tag 'Emulator' {
    It 'shows the plan under -WhatIf and changes nothing' {
        $plan = Import-RoVpnConfig -Connection $Fw -Path $Backup -GeneratePassword -WhatIf -Verbose 4>&1 | Out-String
        $plan | Should -Match '\+ rst01'
        $plan | Should -Match '~ rst02: enabled: True -> False'
        $plan | Should -Match '~ rst03: groups: \(none\) -> SSLVPN_Users'
        $plan | Should -Not -Match 'rst-late'
        Get-RoVpnUser -Connection $Fw -UserName rst01 | Should -BeNullOrEmpty
        (Get-RoVpnUser -Connection $Fw -UserName rst02).Enabled | Should -BeTrue
    }

    It 'puts the users back, verified, with a generated password for the one it creates' {
        $results = @(Import-RoVpnConfig -Connection $Fw -Path $Backup -GeneratePassword -Force -AuditLogPath $Audit)
        $byName = @{}; $results | ForEach-Object { $byName[$_.UserName] = $_ }
        $byName['rst01'].Outcome | Should -Be 'Created'
        $byName['rst01'].InitialPassword | Should -BeOfType [securestring]
        $byName['rst01'].Message | Should -Match 'backup holds no passwords'
        $byName['rst02'].Outcome | Should -Be 'Updated'
        $byName['rst03'].Outcome | Should -Be 'Updated'
        $byName['rst04'].Outcome | Should -Be 'NoChange'
        $byName.ContainsKey('rst-late') | Should -BeFalse
        $results | ForEach-Object { $_.Verified | Should -BeTrue -Because $_.UserName }

        (Get-RoVpnUser -Connection $Fw -UserName rst01).Groups | Should -Be @('SSLVPN_Users')
        (Get-RoVpnUser -Connection $Fw -UserName rst02).Enabled | Should -BeFalse
        (Get-RoVpnUser -Connection $Fw -UserName rst03).Groups | Should -Be @('SSLVPN_Users')
    }

    It 'changes nothing when run again' {
        $again = @(Import-RoVpnConfig -Connection $Fw -Path $Backup -Force -AuditLogPath $Audit)
        @($again | Where-Object Outcome -ne 'NoChange').Count | Should -Be 0
    }

    It 'removes the users the backup lacks only with -Prune' {
        $pruned = @(Import-RoVpnConfig -Connection $Fw -Path $Backup -Prune -Force -AuditLogPath $Audit | Where-Object Outcome -ne 'NoChange')
        $pruned.UserName | Should -Be @('rst-late')
        $pruned.Outcome | Should -Be @('Removed')
        Get-RoVpnUser -Connection $Fw -UserName rst-late | Should -BeNullOrEmpty
    }

    It 'records each change in the audit log without a password' {
        $text = Get-Content -Raw $Audit
        @(Get-RoAuditLog -Path $Audit | Where-Object Action -eq 'Import-RoVpnConfig').Count | Should -Be 4
        $text | Should -Not -Match 'Forti-Restore-77'
    }

    It 'changes nothing when the audit log cannot be written' {
        Remove-RoVpnUser -Connection $Fw -UserName rst04 -Force -AuditLogPath $Audit | Out-Null
        { Import-RoVpnConfig -Connection $Fw -Path $Backup -Password $Password -Force -AuditLogPath (Join-Path $Audit 'not-a-folder.jsonl') -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuditLogNotWritable*'
        Get-RoVpnUser -Connection $Fw -UserName rst04 | Should -BeNullOrEmpty
    }

    It 'refuses a backup of another kind of appliance before changing anything' {
        $other = Join-Path $TestDrive 'ocserv-backup.json'
        (Get-Content -Raw $Backup | ConvertFrom-Json -AsHashtable) | ForEach-Object { $_.driver = 'Ocserv'; $_ } | ConvertTo-Json -Depth 5 | Set-Content $other
        { Import-RoVpnConfig -Connection $Fw -Path $other -Force -ErrorAction Stop } | Should -Throw -ErrorId 'VpnBackupDriverMismatch*'
    }
}

Describe 'Import-RoVpnConfig puts back a FortiGate user group that was deleted' -Tag 'Emulator' {
    BeforeAll {
        # The group is made and deleted over the REST API, as an admin would in the GUI: RemoteOps creates groups only from a backup.
        function Invoke-FgtGroup([string] $Method, [string] $Path, $Body) {
            $client = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $Fgt))
            try {
                $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), "$($Fgt.baseUrl)/api/v2/cmdb/user/group$Path")
                $request.Headers.Add('Authorization', "Bearer $($Fgt.apiToken)")
                if ($Body) { $request.Content = [System.Net.Http.StringContent]::new(($Body | ConvertTo-Json -Compress), [Text.Encoding]::UTF8, 'application/json') }
                $response = $client.SendAsync($request).GetAwaiter().GetResult()
                if (-not $response.IsSuccessStatusCode) { throw "$Method user/group$Path failed: $([int]$response.StatusCode)" }
            }
            finally { $client.Dispose() }
        }

        $script:GroupAudit = Join-Path $TestDrive 'group-audit.jsonl'
        $script:GroupBackup = Join-Path $TestDrive 'fgt-group-backup.json'
        Invoke-FgtGroup POST '' @{ name = 'Rst_Team' }
        [pscustomobject]@{ UserName = 'grp01'; Group = 'Rst_Team' } | New-RoVpnUser -Connection $Fw -Password $Password -AuditLogPath $GroupAudit | Out-Null
        Export-RoVpnConfig -Connection $Fw -Path $GroupBackup | Out-Null
        Remove-RoVpnUser -Connection $Fw -UserName grp01 -Force -AuditLogPath $GroupAudit | Out-Null
        Invoke-FgtGroup DELETE '/Rst_Team'
    }

    It 'shows the group it would create before the users under -WhatIf, and creates nothing' {
        $plan = Import-RoVpnConfig -Connection $Fw -Path $GroupBackup -GeneratePassword -WhatIf -Verbose 4>&1 | Out-String
        $plan | Should -Match '(?s)User groups:.*\+ Rst_Team.*Users:.*\+ grp01'
        Get-RoVpnUser -Connection $Fw -UserName grp01 | Should -BeNullOrEmpty
    }

    It 'creates the group first, then the user in it, both verified' {
        $results = @(Import-RoVpnConfig -Connection $Fw -Path $GroupBackup -GeneratePassword -Force -AuditLogPath $GroupAudit)
        @($results | Where-Object GroupName).GroupName | Should -Be @('Rst_Team') -Because 'only the groups the restore creates are reported'
        $group = $results | Where-Object GroupName -eq 'Rst_Team'
        $group.PSObject.TypeNames[0] | Should -Be 'RemoteOps.Core.Vpn.VpnGroupRestore'
        $group.Outcome | Should -Be 'Created'
        $group.Verified | Should -BeTrue
        [array]::IndexOf($results, $group) | Should -BeLessThan ([array]::IndexOf($results, ($results | Where-Object UserName -eq 'grp01')))
        $user = $results | Where-Object UserName -eq 'grp01'
        $user.Outcome | Should -Be 'Created' -Because $user.Message
        $user.Verified | Should -BeTrue
        (Get-RoVpnUser -Connection $Fw -UserName grp01).Groups | Should -Be @('Rst_Team')
        Get-RoAuditLog -Path $GroupAudit | Where-Object { $_.Action -eq 'Import-RoVpnConfig' -and $_.Target -like 'group Rst_Team@*' } | Should -Not -BeNullOrEmpty
    }

    It 'leaves the groups alone on a second run' {
        $again = @(Import-RoVpnConfig -Connection $Fw -Path $GroupBackup -Force -AuditLogPath $GroupAudit)
        @($again | Where-Object Outcome -ne 'NoChange').Count | Should -Be 0
        @($again | Where-Object GroupName).Count | Should -Be 0
    }
}
