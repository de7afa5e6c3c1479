#requires -Version 7.2
# The FortiGate driver picks its requests by the FortiOS version read at connect (lab emulator).

BeforeDiscovery {
    $script:Releases = @(
        @{ Version = '7.2.8'; Expected = 'PUT /api/v2/cmdb/user/local/{name}'; NotExpected = 'POST /api/v2/monitor/user/local/change-password' }
        @{ Version = '7.4.8'; Expected = 'POST /api/v2/monitor/user/local/change-password'; NotExpected = $null }
    )
}

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
}

Describe 'FortiGate password reset on FortiOS <Version>' -Tag 'Emulator' -ForEach $Releases {
    BeforeAll {
        $script:Fgt = Start-ApplianceEmulator -Kind fortios -ExtraArgument @('--version', $Version)
        $token = [pscredential]::new('api', (ConvertTo-SecureString $Fgt.apiToken -AsPlainText -Force))
        $script:Fw = Connect-RoVpnAppliance -Driver FortiGate -Address $Fgt.baseUrl -Credential $token -PublicKeyPin $Fgt.spkiSha256 -NotDefault
    }

    AfterAll {
        if ($script:Fw) { Disconnect-RoVpnAppliance -Connection $Fw }
        if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
    }

    It 'resets the password through the endpoint this release documents' {
        $initial = ConvertTo-SecureString 'Forti-Initial-77!' -AsPlainText -Force
        $new = ConvertTo-SecureString 'Forti-Changed-88!' -AsPlainText -Force
        [pscustomobject]@{ UserName = 'pw.user' } | New-RoVpnUser -Connection $Fw -Password $initial -AuditLogPath $Audit | Out-Null

        (Set-RoVpnUser -Connection $Fw -UserName pw.user -Password $new -AuditLogPath $Audit).Outcome | Should -Be 'Updated'

        $requests = (Invoke-EmulatorControl -Emulator $Fgt -Method GET -Path '/_lab/stats').requests
        $requests.PSObject.Properties.Name | Should -Contain $Expected
        if ($NotExpected) { $requests.PSObject.Properties.Name | Should -Not -Contain $NotExpected }
    }
}
