#requires -Version 7.2
# The FortiGate driver's firewall side against the lab emulator of FortiOS's REST API: one
# connection serves the VPN and the firewall cmdlets; policies, addresses, groups and services are
# read back from the emulator directly (not through RemoteOps) to check what was written.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force
    $script:Fgt = Start-ApplianceEmulator -Kind fortios
    $script:Token = [pscredential]::new('api', (ConvertTo-SecureString $Fgt.apiToken -AsPlainText -Force))
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Fw = Connect-RoAppliance -Driver FortiGate -Address $Fgt.baseUrl -Credential $Token -PublicKeyPin $Fgt.spkiSha256 -Option @{ SourceInterface = 'port1'; DestinationInterface = 'port2' }

    # A cmdb table as the FortiGate holds it, read with the API token.
    function Get-FortiTable([string] $Path) {
        $client = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $Fgt))
        try {
            $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $Fgt.apiToken)
            $text = $client.GetStringAsync("$($Fgt.baseUrl)/api/v2/cmdb/$Path").GetAwaiter().GetResult()
            return @(($text | ConvertFrom-Json).results)
        }
        finally { $client.Dispose() }
    }

    $script:Policy = @(
        @{ Name = 'web-in'; Action = 'Accept'; Source = @('clients'); Destination = @('198.18.1.2'); Protocol = 'Tcp'; Ports = @('443', '8443-8444'); Comment = 'HTTPS to the portal' }
        @{ Name = 'block-8080'; Action = 'Drop'; Destination = @('198.18.1.0/24'); Protocol = 'Tcp'; Ports = @('8080') }
        @{ Name = 'refuse-range'; Action = 'Reject'; Source = @('198.18.0.5-198.18.0.9'); Protocol = 'Udp' }
    )
    $script:Objects = @{ clients = @('198.18.0.0/24', '198.18.3.7') }
}

AfterAll {
    if ($script:Fw) { Disconnect-RoAppliance -Connection $Fw }
    if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
}

Describe 'FortiGate firewall policies through the FortiOS REST API' -Tag 'Emulator', 'Firewall' {
    It 'serves the VPN and the firewall cmdlets with one connection' {
        $Fw.Capabilities.ToString() | Should -Match 'VpnUsers'
        $Fw.Capabilities.ToString() | Should -Match 'FirewallPolicy'
        (Get-RoVpnUser -Connection $Fw -UserName bob).UserName | Should -Be 'bob'
        @(Get-RoFirewallRule -Connection $Fw).Count | Should -Be 0
    }

    It 'prints the plan with -WhatIf and sends nothing' {
        $before = (Get-FortiTable 'firewall/policy').Count
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -WhatIf -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Planned'
        $r.Added | Should -Be 3
        (Get-FortiTable 'firewall/policy').Count | Should -Be $before
        @(Get-FortiTable 'firewall/address' | Where-Object name -Like 'ro-*').Count | Should -Be 0
    }

    It 'applies the policy as FortiOS policies, addresses, a group and services, leaving the admin''s policy alone' {
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $policies = Get-FortiTable 'firewall/policy'
        $policies[0].name | Should -Be 'admin-web'
        $policies[0].comments | Should -Be ''
        ($policies | Select-Object -Skip 1).name | Should -Be @('web-in', 'block-8080', 'refuse-range')
        $web = $policies[1]
        $web.srcintf.name | Should -Be 'port1'
        $web.dstintf.name | Should -Be 'port2'
        $web.srcaddr.name | Should -Be 'clients'
        $web.dstaddr.name | Should -Be 'ro-198.18.1.2'
        @($web.service.name | Sort-Object) | Should -Be @('ro-tcp-443', 'ro-tcp-8443-8444')
        $web.comments | Should -Be '[RemoteOps] HTTPS to the portal'
        $policies[2].action | Should -Be 'deny'
        $policies[2].'send-deny-packet' | Should -Be 'disable'
        $policies[3].action | Should -Be 'deny'
        $policies[3].'send-deny-packet' | Should -Be 'enable'
        $policies[3].dstaddr.name | Should -Be 'all'
        (Get-FortiTable 'firewall/addrgrp' | Where-Object name -EQ 'clients').member.name | Should -Be @('ro-198.18.0.0_24', 'ro-198.18.3.7')
        $net = Get-FortiTable 'firewall/address' | Where-Object name -EQ 'ro-198.18.0.0_24'
        $net.subnet | Should -Be '198.18.0.0 255.255.255.0'
        $range = Get-FortiTable 'firewall/address' | Where-Object name -EQ 'ro-198.18.0.5-198.18.0.9'
        $range.type | Should -Be 'iprange'
        (Get-FortiTable 'firewall.service/custom' | Where-Object name -EQ 'ro-tcp-8443-8444').'tcp-portrange' | Should -Be '8443-8444'
        (Get-FortiTable 'firewall.service/custom' | Where-Object name -EQ 'ro-udp-all').'udp-portrange' | Should -Be '1-65535'
    }

    It 'reads the policy back as it was given, and a second run changes nothing' {
        $rules = @(Get-RoFirewallRule -Connection $Fw)
        $rules.Name | Should -Be @('web-in', 'block-8080', 'refuse-range')
        $rules[0].Source | Should -Be @('clients')
        $rules[0].Comment | Should -Be 'HTTPS to the portal'
        $rules[2].Action | Should -Be 'Reject'
        $rules[2].Source | Should -Be @('198.18.0.5-198.18.0.9')
        $revision = (Invoke-EmulatorControl -Emulator $Fgt -Method GET -Path '/_lab/stats').state.revision
        (Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        (Invoke-EmulatorControl -Emulator $Fgt -Method GET -Path '/_lab/stats').state.revision | Should -Be $revision
    }

    It 'reorders with moves, changes in place, and removes unused objects' {
        $changed = @(
            @{ Name = 'refuse-range'; Action = 'Reject'; Source = @('198.18.0.5-198.18.0.9'); Protocol = 'Udp' }
            @{ Name = 'web-in'; Action = 'Accept'; Source = @('clients'); Destination = @('198.18.1.2'); Protocol = 'Tcp'; Ports = @('443'); Comment = 'HTTPS to the portal' }
        )
        $ids = @{}
        Get-FortiTable 'firewall/policy' | ForEach-Object { $ids[$_.name] = $_.policyid }
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $changed -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
        $r.Moved + $r.Changed | Should -BeGreaterThan 0
        $r.Removed | Should -Be 1
        $policies = Get-FortiTable 'firewall/policy'
        $policies.name | Should -Be @('admin-web', 'refuse-range', 'web-in')
        ($policies | Where-Object name -EQ 'web-in').policyid | Should -Be $ids['web-in']
        @(Get-FortiTable 'firewall.service/custom' | Where-Object name -In 'ro-tcp-8443-8444', 'ro-tcp-8080').Count | Should -Be 0
        @(Get-FortiTable 'firewall/address' | Where-Object name -EQ 'ro-198.18.1.0_24').Count | Should -Be 0
        (Set-RoFirewallPolicy -Connection $Fw -Rule $changed -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
    }

    It 'puts the previous policy back when the FortiGate refuses a call halfway, and says so' {
        $before = Get-FortiTable 'firewall/policy' | ForEach-Object { "$($_.name)|$($_.action)|$($_.service.name -join ',')" }
        Invoke-EmulatorControl -Emulator $Fgt -Method POST -Path '/_lab/settings' -Body @{ failPolicyName = 'second-new' } | Out-Null
        try {
            $next = @(
                @{ Name = 'first-new'; Action = 'Accept'; Protocol = 'Tcp'; Ports = @('22') }
                @{ Name = 'second-new'; Action = 'Accept'; Protocol = 'Tcp'; Ports = @('25') }
            )
            { Set-RoFirewallPolicy -Connection $Fw -Rule $next -Confirm:$false -AuditLogPath $Audit -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*second-new*put back to the policy it had before*'
        }
        finally {
            Invoke-EmulatorControl -Emulator $Fgt -Method POST -Path '/_lab/settings' -Body @{ failPolicyName = '' } | Out-Null
        }
        Get-FortiTable 'firewall/policy' | ForEach-Object { "$($_.name)|$($_.action)|$($_.service.name -join ',')" } | Should -Be $before
        @(Get-FortiTable 'firewall.service/custom' | Where-Object name -In 'ro-tcp-22', 'ro-tcp-25').Count | Should -Be 0
    }

    It 'refuses what a FortiGate cannot hold before sending anything' {
        $revision = (Invoke-EmulatorControl -Emulator $Fgt -Method GET -Path '/_lab/stats').state.revision
        $long = @{ Name = 'a-rule-name-longer-than-thirty-five-chars'; Action = 'Accept' }
        { Set-RoFirewallPolicy -Connection $Fw -Rule $long -Confirm:$false -AuditLogPath $Audit -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*'a-rule-name-longer-than-thirty-five-chars'*at most 35*"
        $localIn = @{ Name = 'to-the-box'; Action = 'Accept'; Chain = 'Input'; Protocol = 'Tcp'; Ports = @('22') }
        { Set-RoFirewallPolicy -Connection $Fw -Rule $localIn -Confirm:$false -AuditLogPath $Audit -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*'to-the-box'*local-in*"
        $clash = @{ Name = 'admin-web'; Action = 'Drop' }
        { Set-RoFirewallPolicy -Connection $Fw -Rule $clash -Confirm:$false -AuditLogPath $Audit -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*'admin-web'*did not write*"
        (Invoke-EmulatorControl -Emulator $Fgt -Method GET -Path '/_lab/stats').state.revision | Should -Be $revision
    }

    It 'adds and removes one rule with New- and Remove-RoFirewallRule' {
        (New-RoFirewallRule -Connection $Fw -Name 'ssh-admins' -Action Accept -Source '198.18.9.0/24' -Protocol Tcp -Port 22 -Before 'web-in' -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        (Get-FortiTable 'firewall/policy').name | Should -Be @('admin-web', 'refuse-range', 'ssh-admins', 'web-in')
        (Remove-RoFirewallRule -Connection $Fw -Name 'ssh-admins' -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        (Get-FortiTable 'firewall/policy').name | Should -Be @('admin-web', 'refuse-range', 'web-in')
    }

    It 'removes everything it wrote, and only that, when the desired policy is empty' {
        (Set-RoFirewallPolicy -Connection $Fw -Rule @() -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        (Get-FortiTable 'firewall/policy').name | Should -Be @('admin-web')
        @(Get-FortiTable 'firewall/address' | Where-Object name -Like 'ro-*').Count | Should -Be 0
        @(Get-FortiTable 'firewall/addrgrp').Count | Should -Be 0
        @(Get-FortiTable 'firewall.service/custom' | Where-Object name -Like 'ro-*').Count | Should -Be 0
    }

    It 'keeps the API token out of the audit log' {
        Get-Content $Audit -Raw | Should -Not -Match ([regex]::Escape($Fgt.apiToken))
    }
}
