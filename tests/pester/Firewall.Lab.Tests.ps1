#requires -Version 7.2
# The nftables driver end to end: a lab host routes between a client and a server namespace
# (lab/firewall.sh) and is managed over SSH; real TCP connections from the client show what the
# applied policy lets through, drops (time-out) and rejects (connection refused).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'rofw'
    $script:FirewallScript = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/firewall.sh'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 1 -Subnet 7
    $output = & bash $FirewallScript up --name $LabName --host 1 2>&1
    if ($LASTEXITCODE -ne 0) { throw "the firewall networks did not come up: $($output -join "`n")" }
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Fw = Connect-RoAppliance -Driver Nftables -Address $Lab.hosts[0].address -UserName $Lab.user -KeyFilePath $Lab.keys.ed25519 -KnownHostsPath $Lab.knownHosts

    # A TCP connection from the client namespace to the server: open, refused or timeout.
    function Test-Port([int] $Port) {
        $word = & bash $FirewallScript probe --name $LabName --port $Port --timeout 3 2>&1
        return "$word".Trim()
    }

    # nftables state of the firewall host, read directly (not through RemoteOps).
    function Get-HostRuleset { Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command 'nft list ruleset' }

    $script:Policy = @(
        @{ Name = 'web-in'; Action = 'Accept'; Chain = 'Forward'; Source = @('clients'); Destination = @('198.19.241.2'); Protocol = 'Tcp'; Ports = @('443'); Comment = 'HTTPS to the server' }
        @{ Name = 'block-8080'; Action = 'Drop'; Chain = 'Forward'; Destination = @('198.19.241.0/24'); Protocol = 'Tcp'; Ports = @('8080') }
        @{ Name = 'refuse-8081'; Action = 'Reject'; Chain = 'Forward'; Protocol = 'Tcp'; Ports = @('8081') }
    )
    $script:Objects = @{ clients = @('198.19.240.0/24') }
}

AfterAll {
    if ($script:Fw) { Disconnect-RoAppliance -Connection $Fw }
    & bash $FirewallScript down --name $LabName --host 1 2>&1 | Out-Null
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'nftables over SSH, checked with real TCP connections' -Tag 'Lab', 'Firewall' {
    It 'lets everything through before a policy is applied' {
        $Fw.Capabilities | Should -Be 'FirewallPolicy'
        @(Get-RoFirewallRule -Connection $Fw).Count | Should -Be 0
        Test-Port 443 | Should -Be 'open'
        Test-Port 8080 | Should -Be 'open'
    }

    It 'changes nothing with -WhatIf' {
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -WhatIf -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Planned'
        $r.Added | Should -Be 3
        $r.PlanText | Should -Match '\+ web-in'
        (Get-HostRuleset) -join "`n" | Should -Not -Match 'remoteops'
        Test-Port 8080 | Should -Be 'open'
    }

    It 'refuses a bad rule before the host is touched' {
        $bad = $Policy + @{ Name = 'bad'; Action = 'Accept'; Protocol = 'Tcp'; Ports = @('70000') }
        { Set-RoFirewallPolicy -Connection $Fw -Rule $bad -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit } |
            Should -Throw -ErrorId 'FirewallInvalidRule,RemoteOps.Commands.SetRoFirewallPolicyCommand' -ExpectedMessage "*'bad'*70000*"
        $unknown = @(@{ Name = 'x'; Action = 'Accept'; Source = @('nosuchobject') })
        { Set-RoFirewallPolicy -Connection $Fw -Rule $unknown -Confirm:$false -AuditLogPath $Audit } | Should -Throw -ExpectedMessage "*'x'*nosuchobject*"
        (Get-HostRuleset) -join "`n" | Should -Not -Match 'remoteops'
    }

    It 'applies the policy: 443 passes, 8080 is dropped (time-out), 8081 is rejected (refused)' {
        $backup = Join-Path $TestDrive 'before.nft'
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit -BackupPath $backup
        $r.Outcome | Should -Be 'Updated'
        $r.Added | Should -Be 3
        Test-Path $backup | Should -BeTrue
        Test-Port 443 | Should -Be 'open'
        Test-Port 8080 | Should -Be 'timeout'
        Test-Port 8081 | Should -Be 'refused'
        $rules = @(Get-RoFirewallRule -Connection $Fw)
        $rules.Name | Should -Be @('web-in', 'block-8080', 'refuse-8081')
        $rules[0].Comment | Should -Be 'HTTPS to the server'
        $lines = @(Get-Content $Audit | ConvertFrom-Json | Where-Object action -EQ 'Set-RoFirewallPolicy')
        $lines.Count | Should -Be 4   # the address object and three rules
    }

    It 'reports no change when the same policy is set again' {
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $Policy -AddressObject $Objects -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'NoChange'
        $r.Unchanged | Should -Be 3
    }

    It 'reads the same policy from a JSON file and a .psd1 file as no change' {
        $json = Join-Path $TestDrive 'policy.json'
        @'
{
  "addressObjects": { "clients": ["198.19.240.0/24"] },
  "rules": [
    { "name": "web-in", "action": "Accept", "chain": "Forward", "source": ["clients"], "destination": ["198.19.241.2"], "protocol": "Tcp", "ports": ["443"], "comment": "HTTPS to the server" },
    { "name": "block-8080", "action": "Drop", "destination": ["198.19.241.0/24"], "protocol": "Tcp", "ports": [8080] },
    { "name": "refuse-8081", "action": "Reject", "protocol": "Tcp", "ports": ["8081"] }
  ]
}
'@ | Set-Content -Path $json
        (Set-RoFirewallPolicy -Connection $Fw -Path $json -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        $psd1 = Join-Path $TestDrive 'policy.psd1'
        @'
@{
    AddressObjects = @{ clients = @('198.19.240.0/24') }
    Rules = @(
        @{ Name = 'web-in'; Action = 'Accept'; Source = 'clients'; Destination = '198.19.241.2'; Protocol = 'Tcp'; Ports = 443; Comment = 'HTTPS to the server' }
        @{ Name = 'block-8080'; Action = 'Drop'; Destination = '198.19.241.0/24'; Protocol = 'Tcp'; Ports = 8080 }
        @{ Name = 'refuse-8081'; Action = 'Reject'; Protocol = 'Tcp'; Ports = '8081' }
    )
}
'@ | Set-Content -Path $psd1
        (Set-RoFirewallPolicy -Connection $Fw -Path $psd1 -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
    }

    It 'names the bad key and its line in a policy file' {
        $json = Join-Path $TestDrive 'bad.json'
        "{`n  `"rules`": [`n    { `"name`": `"a`", `"acton`": `"Accept`" }`n  ]`n}" | Set-Content -Path $json
        { Set-RoFirewallPolicy -Connection $Fw -Path $json -Confirm:$false } | Should -Throw -ErrorId 'FirewallPolicyFileInvalid,RemoteOps.Commands.SetRoFirewallPolicyCommand' -ExpectedMessage '*line 3*"acton"*'
    }

    It 'adds and removes one rule, and leaves the other tables alone' {
        Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command "nft add table inet other && nft add chain inet other c '{ type filter hook forward priority 10; policy accept; }' && nft add rule inet other c tcp dport 9 counter" | Out-Null
        (New-RoFirewallRule -Connection $Fw -Name 'block-443' -Action Drop -Protocol Tcp -Port 443 -Before 'web-in' -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        Test-Port 443 | Should -Be 'timeout'
        (Get-RoFirewallRule -Connection $Fw)[0].Name | Should -Be 'block-443'
        (Remove-RoFirewallRule -Connection $Fw -Name 'block-443' -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        Test-Port 443 | Should -Be 'open'
        (Get-HostRuleset) -join "`n" | Should -Match 'table inet other'
        (Get-HostRuleset) -join "`n" | Should -Match 'tcp dport 9 counter'
    }

    It 'removes every managed rule when the empty policy is set' {
        (Set-RoFirewallPolicy -Connection $Fw -Rule @() -Confirm:$false -AuditLogPath $Audit).Removed | Should -Be 3
        Test-Port 8080 | Should -Be 'open'
        @(Get-RoFirewallRule -Connection $Fw).Count | Should -Be 0
    }
}
