#requires -Version 7.2
# Import-RoVpnConfig refuses a Connect Secure backup (lab emulator of Ivanti Connect Secure).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Ics = Start-ApplianceEmulator -Kind ics
    $admin = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString $Ics.adminPassword -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Backup = Join-Path $TestDrive 'ics-backup.json'
    $script:Connection = Connect-RoVpnAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $admin -PublicKeyPin $Ics.spkiSha256 -NotDefault
}

AfterAll {
    if ($script:Connection) { Disconnect-RoVpnAppliance -Connection $Connection }
    if ($script:Ics) { Stop-ApplianceEmulator -Emulator $Ics }
}

Describe 'Import-RoVpnConfig on Connect Secure' -Tag 'Emulator' {
    It 'refuses the backup as not supported and changes nothing' {
        Export-RoVpnConfig -Connection $Connection -Path $Backup | Out-Null
        $before = @(Get-RoVpnUser -Connection $Connection).Count
        $stats = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'

        { Import-RoVpnConfig -Connection $Connection -Path $Backup -Prune -Force -AuditLogPath $Audit -ErrorAction Stop } |
            Should -Throw -ErrorId 'VpnNotSupported*'

        @(Get-RoVpnUser -Connection $Connection).Count | Should -Be $before
        $after = Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats'
        # Only the user listing after the refusal reached the appliance: the refusal sent nothing.
        $after.requestsTotal | Should -Be ($stats.requestsTotal + 1)
        Test-Path $Audit | Should -BeFalse
    }
}
