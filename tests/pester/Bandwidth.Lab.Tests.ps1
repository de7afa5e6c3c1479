#requires -Version 7.2
# The LinuxTc driver end to end: a lab host routes between a client and a server namespace
# (lab/bandwidth.sh) and is managed over SSH; real TCP traffic from the client (iperf3) shows
# that the applied policy caps a class at its ceiling and keeps a guaranteed class's share when
# two classes compete. Rates are modest (a 50 Mbit/s link) and runs short, so the results hold on
# a busy machine.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'robw'
    $script:BandwidthScript = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/bandwidth.sh'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 1 -Subnet 244
    $output = & bash $BandwidthScript up --name $LabName --host 1 2>&1
    if ($LASTEXITCODE -ne 0) { throw "the bandwidth networks did not come up: $($output -join "`n")" }
    $script:Egress = "$LabName-bs"
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Gw = Connect-RoAppliance -Driver LinuxTc -Address $Lab.hosts[0].address -UserName $Lab.user -KeyFilePath $Lab.keys.ed25519 -KnownHostsPath $Lab.knownHosts -Option @{ Interface = $Egress }

    # Throughput client -> server through the gateway, one iperf3 flow per port at the same time: port -> bits/s.
    function Measure-Throughput([int[]] $Port) {
        $arguments = @('measure', '--name', $LabName, '--seconds', '4') + @($Port | ForEach-Object { '--port'; "$_" })
        $lines = & bash $BandwidthScript @arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "iperf3 failed: $($lines -join "`n")" }
        $result = @{}
        foreach ($line in $lines) { if ("$line" -match '^(\d+) (\d+)$') { $result[[int] $Matches[1]] = [double] $Matches[2] } }
        return $result
    }

    # The gateway's shaping state, read directly (not through RemoteOps).
    function Get-HostShaping { (Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command "tc qdisc show dev $Egress; nft list tables") -join "`n" }

    $script:LinkRate = '50mbit'
    $script:Policy = @(
        @{ Name = 'updates'; GuaranteedRate = '2mbit'; CeilingRate = '10mbit'; Priority = 6; Protocol = 'Tcp'; Ports = @('5201') }
        @{ Name = 'vpn'; GuaranteedRate = '30mbit'; Protocol = 'Tcp'; Ports = @('5203'); Destination = @('198.19.245.2') }
        @{ Name = 'video'; GuaranteedRate = '5mbit'; CeilingRate = '20mbit'; Priority = 2; Protocol = 'Udp'; SourcePorts = @('3478-3481'); Dscp = @('af41', 'ef') }
        @{ Name = 'other'; GuaranteedRate = '10mbit'; Default = $true }
    )
}

AfterAll {
    if ($script:Gw) { Disconnect-RoAppliance -Connection $Gw }
    & bash $BandwidthScript down --name $LabName --host 1 2>&1 | Out-Null
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'Traffic shaping over SSH (tc HTB classified by nftables), checked with iperf3' -Tag 'Lab', 'Bandwidth' {
    It 'starts with nothing shaped' {
        $Gw.Capabilities | Should -Be 'Bandwidth'
        @(Get-RoBandwidthPolicy -Connection $Gw).Count | Should -Be 0
        Get-HostShaping | Should -Match 'qdisc noqueue'
    }

    It 'changes nothing with -WhatIf' {
        $r = Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Class $Policy -WhatIf -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Planned'
        $r.Added | Should -Be 4
        $r.PlanText | Should -Match "\+ vpn on $Egress"
        $r.PlanText | Should -Match "LinkRate: \(none\) -> 50Mbit"
        $state = Get-HostShaping
        $state | Should -Match 'qdisc noqueue'
        $state | Should -Not -Match 'remoteops_shaping'
        Test-Path $Audit | Should -BeFalse
    }

    It 'refuses bad input before the gateway is touched' {
        $tooMuch = $Policy + @{ Name = 'bulk'; GuaranteedRate = '20mbit'; Protocol = 'Tcp'; Ports = '9000' }
        { Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Class $tooMuch -Confirm:$false -AuditLogPath $Audit } |
            Should -Throw -ErrorId 'BandwidthInvalidClass,RemoteOps.Commands.SetRoBandwidthPolicyCommand' -ExpectedMessage '*67Mbit*more than the LinkRate 50Mbit*'
        $bytes = @(@{ Name = 'a'; GuaranteedRate = '20mbps'; Protocol = 'Tcp'; Ports = 1 }, @{ Name = 'b'; GuaranteedRate = '1mbit'; Default = $true })
        { Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Class $bytes -Confirm:$false -AuditLogPath $Audit } |
            Should -Throw -ExpectedMessage "*'a'*'20mbps'*bytes*"
        $ceiling = @(@{ Name = 'a'; GuaranteedRate = '1mbit'; CeilingRate = '1gbit'; Protocol = 'Tcp'; Ports = 1 }, @{ Name = 'b'; GuaranteedRate = '1mbit'; Default = $true })
        { Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Class $ceiling -Confirm:$false -AuditLogPath $Audit } |
            Should -Throw -ExpectedMessage "*'a'*CeilingRate '1gbit'*above the LinkRate*"
        $json = Join-Path $TestDrive 'bad.json'
        "{`n  `"linkRate`": `"50mbit`",`n  `"classes`": [`n    { `"name`": `"a`", `"guaranteedRate`": `"1mbit`", `"ceilling`": `"2mbit`" }`n  ]`n}" | Set-Content -Path $json
        { Set-RoBandwidthPolicy -Connection $Gw -Path $json -Confirm:$false -AuditLogPath $Audit } |
            Should -Throw -ErrorId 'BandwidthPolicyFileInvalid,RemoteOps.Commands.SetRoBandwidthPolicyCommand' -ExpectedMessage '*line 4*"ceilling"*'
        $state = Get-HostShaping
        $state | Should -Match 'qdisc noqueue'
        $state | Should -Not -Match 'remoteops_shaping'
    }

    It 'applies the policy, reads it back with counters, and audits each change' {
        $r = Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Class $Policy -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $r.Added | Should -Be 4
        $classes = @(Get-RoBandwidthPolicy -Connection $Gw)
        $classes.Name | Should -Be @('updates', 'vpn', 'video', 'other')
        $classes[0].GuaranteedRate | Should -Be '2Mbit'
        $classes[0].CeilingRate | Should -Be '10Mbit'
        $classes[1].CeilingRate | Should -Be '50Mbit'
        $classes[2].Dscp | Should -Be @('af41', 'ef')
        $classes[3].Default | Should -BeTrue
        $classes[3].ClassId | Should -Be '1:2'
        $classes | ForEach-Object { $_.Interface | Should -Be $Egress; $_.Bytes | Should -Not -BeNullOrEmpty }
        $lines = @(Get-Content $Audit | ConvertFrom-Json | Where-Object action -EQ 'Set-RoBandwidthPolicy')
        $lines.Count | Should -Be 5   # the link and four classes
        Get-HostShaping | Should -Match 'qdisc htb 1: root'
    }

    It 'caps a class at its ceiling with real traffic' {
        $before = (Get-RoBandwidthPolicy -Connection $Gw -Name updates).Bytes
        $rate = (Measure-Throughput 5201)[5201]
        $rate | Should -BeGreaterThan 9.0e6    # ceiling 10mbit, within 10%
        $rate | Should -BeLessThan 11.0e6
        $after = Get-RoBandwidthPolicy -Connection $Gw -Name updates
        $after.Bytes - $before | Should -BeGreaterThan 3MB
        $after.Overlimits | Should -BeGreaterThan 0
        $after.CurrentRate | Should -BeGreaterThan 0
    }

    It 'keeps a guaranteed class its share while another class competes' {
        $rates = Measure-Throughput 5203, 5202
        $rates[5203] | Should -BeGreaterThan 27.0e6   # vpn: 30mbit guaranteed, within 10%
        $rates[5202] | Should -BeGreaterThan 9.0e6    # the default class: 10mbit guaranteed
        $rates[5203] + $rates[5202] | Should -BeLessThan 55.0e6   # both within the 50mbit link
    }

    It 'reports no change when the same policy is set again, from parameters, JSON or .psd1' {
        $r = Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Class $Policy -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'NoChange'
        $r.Unchanged | Should -Be 4
        $json = Join-Path $TestDrive 'policy.json'
        @'
{
  "linkRate": "50mbit",
  "classes": [
    { "name": "updates", "guaranteedRate": "2mbit", "ceilingRate": "10mbit", "priority": 6, "protocol": "Tcp", "ports": [5201] },
    { "name": "vpn", "guaranteedRate": "30mbit", "protocol": "Tcp", "ports": ["5203"], "destination": ["198.19.245.2/32"] },
    { "name": "video", "guaranteedRate": "5000kbit", "ceilingRate": "0.02gbit", "priority": 2, "protocol": "Udp", "sourcePorts": ["3478-3481"], "dscp": [46, "AF41"] },
    { "name": "other", "guaranteedRate": "10mbit", "default": true }
  ]
}
'@ | Set-Content -Path $json
        (Set-RoBandwidthPolicy -Connection $Gw -Path $json -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        $psd1 = Join-Path $TestDrive 'policy.psd1'
        @'
@{
    LinkRate = '50mbit'
    Classes = @(
        @{ Name = 'updates'; GuaranteedRate = '2mbit'; CeilingRate = '10mbit'; Priority = 6; Protocol = 'Tcp'; Ports = 5201 }
        @{ Name = 'vpn'; GuaranteedRate = '30mbit'; Protocol = 'Tcp'; Ports = 5203; Destination = '198.19.245.2' }
        @{ Name = 'video'; GuaranteedRate = '5mbit'; CeilingRate = '20mbit'; Priority = 2; Protocol = 'Udp'; SourcePorts = '3478-3481'; Dscp = 'ef', 'af41' }
        @{ Name = 'other'; GuaranteedRate = '10mbit'; Default = $true }
    )
}
'@ | Set-Content -Path $psd1
        (Set-RoBandwidthPolicy -Connection $Gw -Path $psd1 -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        (Get-RoBandwidthPolicy -Connection $Gw | Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
    }

    It 'changes one class in place: same class id, counters kept' {
        $before = Get-RoBandwidthPolicy -Connection $Gw -Name updates
        $changed = @($Policy[0].Clone()) + $Policy[1..3]
        $changed[0].CeilingRate = '20mbit'
        $r = Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Class $changed -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $r.Changed | Should -Be 1
        $r.Changes | Should -Be @("~ updates on ${Egress}: CeilingRate: 10Mbit -> 20Mbit")
        $after = Get-RoBandwidthPolicy -Connection $Gw -Name updates
        $after.CeilingRate | Should -Be '20Mbit'
        $after.ClassId | Should -Be $before.ClassId
        $after.Bytes | Should -BeGreaterOrEqual $before.Bytes
    }

    It 'removes a class added by hand on the next change' {
        Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command "tc class add dev $Egress parent 1:1 classid 1:99 htb rate 1mbit" | Out-Null
        $stray = @(Get-RoBandwidthPolicy -Connection $Gw -Name 'unmanaged-*')
        $stray.ClassId | Should -Be '1:99'
        $r = Set-RoBandwidthPolicy -Connection $Gw -LinkRate $LinkRate -Class $Policy -Confirm:$false -AuditLogPath $Audit
        $r.Removed | Should -Be 1
        @(Get-RoBandwidthPolicy -Connection $Gw).Name | Should -Be @('updates', 'vpn', 'video', 'other')
    }

    It 'removes all shaping when the empty policy is set' {
        $r = Set-RoBandwidthPolicy -Connection $Gw -Class @() -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Updated'
        $r.Removed | Should -Be 4
        @(Get-RoBandwidthPolicy -Connection $Gw).Count | Should -Be 0
        $state = Get-HostShaping
        $state | Should -Match 'qdisc noqueue'
        $state | Should -Not -Match 'remoteops_shaping'
        (Set-RoBandwidthPolicy -Connection $Gw -Class @() -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
    }
}
