#requires -Version 7.2
# Test-RoRemoteAccess with a SecurID connection (the lab emulator of RSA SecurID on loopback): one
# scenario per second-factor cause the emulator's seed users show, end to end through the driver.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Emu = Start-ApplianceEmulator -Kind securid
    $script:ClientKey = [pscredential]::new('api', (ConvertTo-SecureString $Emu.clientKey -AsPlainText -Force))
    $script:Sid = Connect-RoAppliance -Driver SecurId -Address $Emu.adminRestApiUrl -Credential $ClientKey -PublicKeyPin $Emu.spkiSha256 -NotDefault `
        -Option @{ AdminApiKeyFile = $Emu.adminApiKeyFile; AuthApiUrl = $Emu.authApiUrl }
}

AfterAll {
    if ($script:Sid) { Disconnect-RoAppliance -Connection $Sid }
    if ($script:Emu) { Stop-ApplianceEmulator -Emulator $Emu }
}

Describe 'Test-RoRemoteAccess: the second factor through the SecurID driver' -Tag 'Emulator', 'HelpDesk' {
    It 'names <Cause> for <User>' -ForEach @(
        @{ User = 'locked@lab.example'; Cause = 'TokenLocked'; Step = 'Unlock-RoSecurIdUser locked@lab.example' }
        @{ User = 'nofactor@lab.example'; Cause = 'NoTokenAssigned'; Step = 'token' }
        @{ User = 'disabled@lab.example'; Cause = 'SecondFactorDisabled'; Step = 'enable the user' }
        @{ User = 'nobody@lab.example'; Cause = 'SecondFactorUserNotFound'; Step = 'add nobody@lab.example' }
    ) {
        $verdict = Test-RoRemoteAccess -UserName $User -Connection $Sid
        $verdict.Cause | Should -Be $Cause
        $verdict.NextStep | Should -Match ([regex]::Escape($Step))
        ($verdict.Checks | Where-Object Check -EQ 'SecondFactor').Status | Should -Be 'Failed'
    }

    It 'finds nothing wrong with the second factor of <User>' -ForEach @(
        @{ User = 'healthy@lab.example' }
        @{ User = 'notoken@lab.example' }
    ) {
        # notoken has no hardware token but the Authenticate app, which is a second factor too.
        $verdict = Test-RoRemoteAccess -UserName $User -Connection $Sid
        ($verdict.Checks | Where-Object Check -EQ 'SecondFactor').Status | Should -Be 'Passed'
        $verdict.Cause | Should -Not -BeIn @('TokenLocked', 'NoTokenAssigned', 'SecondFactorDisabled', 'SecondFactorUserNotFound')
    }

    It 'never shows the client key or a tokencode' {
        $text = (Test-RoRemoteAccess -UserName locked@lab.example -Connection $Sid -Detailed | Out-String -Width 300)
        $text | Should -Not -Match ([regex]::Escape($Emu.clientKey))
        foreach ($u in $Emu.users) { if ($u.tokencode) { $text | Should -Not -Match $u.tokencode } }
    }
}
