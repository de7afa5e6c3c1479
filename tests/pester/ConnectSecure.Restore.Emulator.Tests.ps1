#requires -Version 7.2
# Import-RoVpnConfig on Connect Secure (lab emulator of Ivanti Connect Secure): the local users of
# the connection's auth server, from the configuration-tree backup.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Ics = Start-ApplianceEmulator -Kind ics
    $admin = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString $Ics.adminPassword -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Backup = Join-Path $TestDrive 'ics-backup.json'
    $script:Connection = Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $admin -PublicKeyPin $Ics.spkiSha256 -NotDefault
    $script:Password = ConvertTo-SecureString 'Ics-Restore-77!' -AsPlainText -Force
}

AfterAll {
    if ($script:Connection) { Disconnect-RoVpnAppliance -Connection $Connection }
    if ($script:Ics) { Stop-ApplianceEmulator -Emulator $Ics }
}

Describe 'Import-RoVpnConfig on Connect Secure' -Tag 'Emulator' {
    It 'puts a lost user back, disabled for want of a password, and re-disables an enabled one' {
        1..2 | ForEach-Object { [pscustomobject]@{ UserName = "icsrst$_"; FullName = "Restore $_" } } |
            New-RoVpnUser -Connection $Connection -Password $Password -AuditLogPath $Audit | Out-Null
        Set-RoVpnUser -Connection $Connection -UserName icsrst2 -Enabled:$false -AuditLogPath $Audit | Out-Null
        Export-RoVpnConfig -Connection $Connection -Path $Backup | Out-Null
        Get-Content -Raw $Backup | Should -Not -Match 'Ics-Restore-77'

        Remove-RoVpnUser -Connection $Connection -UserName icsrst1 -Force -AuditLogPath $Audit | Out-Null
        Set-RoVpnUser -Connection $Connection -UserName icsrst2 -Enabled -AuditLogPath $Audit | Out-Null

        $results = @(Import-RoVpnConfig -Connection $Connection -Path $Backup -Force -AuditLogPath $Audit | Where-Object Outcome -ne 'NoChange')

        $results.UserName | Should -Be @('icsrst1', 'icsrst2')
        $results.Outcome | Should -Be @('Created', 'Updated')
        $results | ForEach-Object { $_.Verified | Should -BeTrue -Because $_.UserName }
        $results[0].NeedsPassword | Should -BeTrue
        $restored = Get-RoVpnUser -Connection $Connection -UserName icsrst1
        $restored.Enabled | Should -BeFalse
        $restored.FullName | Should -Be 'Restore 1'
        (Get-RoVpnUser -Connection $Connection -UserName icsrst2).Enabled | Should -BeFalse
        # The backup has icsrst1 enabled: once it exists, a later run gives it that state.
        $again = @(Import-RoVpnConfig -Connection $Connection -Path $Backup -Force -AuditLogPath $Audit | Where-Object Outcome -ne 'NoChange')
        $again.UserName | Should -Be @('icsrst1')
        $again.Changes | Should -Be @('enable')
        @(Import-RoVpnConfig -Connection $Connection -Path $Backup -Force -AuditLogPath $Audit | Where-Object Outcome -ne 'NoChange').Count | Should -Be 0
    }
}
