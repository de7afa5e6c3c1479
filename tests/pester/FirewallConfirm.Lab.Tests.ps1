#requires -Version 7.2
# Commit-confirmed firewall changes on real nftables hosts managed over SSH (their own lab,
# 198.18.242.0/24): a policy that locks out the management SSH is rolled back by the timer on the
# host with nobody connected; Confirm keeps a change past its deadline; Undo rolls back at once;
# a second run changes nothing; and the audit log tells the story. Then one change on two
# firewalls at once, one of them failing (nft refusing the load, or the host down).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'rofc'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 2 -Subnet 242
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Ssh = @{ Driver = 'Nftables'; Address = $Lab.hosts[0].address; UserName = $Lab.user; KeyFilePath = $Lab.keys.ed25519; KnownHostsPath = $Lab.knownHosts }
    $script:Fw = Connect-RoAppliance @Ssh

    function Invoke-Fw([string] $Command) { Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command $Command }

    # Whether a new TCP connection to the host's SSH port opens within two seconds.
    function Test-SshPort {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { return $client.ConnectAsync($Lab.hosts[0].address, 22).Wait(2000) } catch { return $false } finally { $client.Dispose() }
    }

    # The timer processes of one change on the host (the change id is in their command line).
    function Get-TimerProcess([string] $ChangeId) { @(Invoke-Fw "ps -eo pid=,args= | grep -F 'fire.sh' | grep -F '$ChangeId' | grep -v grep || true") | Where-Object { "$_".Trim() } }

    $script:Base = @(
        @{ Name = 'web'; Action = 'Accept'; Chain = 'Input'; Protocol = 'Tcp'; Ports = @('443') }
        @{ Name = 'no-telnet'; Action = 'Reject'; Chain = 'Input'; Protocol = 'Tcp'; Ports = @('23') }
    )
    $script:LockOut = $Base + @(@{ Name = 'block-ssh'; Action = 'Drop'; Chain = 'Input'; Protocol = 'Tcp'; Ports = @('22'); Comment = 'a mistake' })
    # The starting point: a table with conntrack in use, as on any stateful firewall.
    Set-RoFirewallPolicy -Connection $Fw -Rule $Base -Confirm:$false -AuditLogPath $Audit | Out-Null
}

AfterAll {
    Get-RoApplianceConnection | Disconnect-RoAppliance
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'Commit-confirmed changes on nftables' -Tag 'Lab', 'Firewall' {
    It 'rolls a change that locks out SSH back by the timer on the host, with nobody connected' {
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $LockOut -ConfirmWithinSec 15 -Confirm:$false -AuditLogPath $Audit -WarningVariable warned -WarningAction SilentlyContinue
        $r.Outcome | Should -Be 'Updated'
        $r.ChangeState | Should -Be 'Pending'
        $r.RollbackGuarantee | Should -Be 'HostTimer'
        $r.ChangeId | Should -Match '^[0-9a-f]{12}$'
        $r.ManagementPathAnswers | Should -BeFalse
        "$warned" | Should -Match 'new SSH connection'
        @(Get-TimerProcess $r.ChangeId).Count | Should -BeGreaterThan 0

        # The administrator's session ends; a new one cannot get in while the change stands.
        Disconnect-RoAppliance -Connection $Fw
        Test-SshPort | Should -BeFalse

        # The host puts the previous table back at the deadline by itself.
        $wait = ($r.ConfirmDeadline - [DateTimeOffset]::UtcNow).TotalSeconds + 3
        if ($wait -gt 0) { Start-Sleep -Seconds $wait }
        Test-SshPort | Should -BeTrue
        $script:Fw = Connect-RoAppliance @Ssh
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Be @('web', 'no-telnet')
        @(Get-TimerProcess $r.ChangeId).Count | Should -Be 0

        # The first session to look reports the host's rollback (and records it); only once.
        $seen = @(Get-RoFirewallChange -Connection $Fw -AuditLogPath $Audit)
        $seen.Count | Should -Be 1
        $seen[0].ChangeId | Should -Be $r.ChangeId
        $seen[0].State | Should -Be 'RolledBack'
        $seen[0].Reason | Should -Match 'timer'
        @(Get-RoFirewallChange -Connection $Fw -AuditLogPath $Audit).Count | Should -Be 0

        $story = @(Get-RoAuditLog -Path $Audit | Where-Object Detail -Match $r.ChangeId)
        $story.Outcome | Should -Be @('Pending', 'RolledBack')
        $story[0].Detail | Should -Match 'HostTimer'
    }

    It 'keeps a confirmed change after the deadline has passed' {
        $extra = $Base + @(@{ Name = 'ntp'; Action = 'Accept'; Chain = 'Input'; Protocol = 'Udp'; Ports = @('123') })
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $extra -ConfirmWithinSec 15 -Confirm:$false -AuditLogPath $Audit
        $r.ChangeState | Should -Be 'Pending'
        $r.ManagementPathAnswers | Should -BeTrue
        @(Get-RoFirewallChange -Connection $Fw).State | Should -Be 'Pending'

        $c = Confirm-RoFirewallChange -Connection $Fw -AuditLogPath $Audit -Confirm:$false   # the one pending, no id needed
        $c.ChangeId | Should -Be $r.ChangeId
        $c.State | Should -Be 'Confirmed'
        @(Get-TimerProcess $r.ChangeId).Count | Should -Be 0
        $wait = ($r.ConfirmDeadline - [DateTimeOffset]::UtcNow).TotalSeconds + 3
        if ($wait -gt 0) { Start-Sleep -Seconds $wait }
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Contain 'ntp'
        @(Get-RoFirewallChange -Connection $Fw).Count | Should -Be 0
        (Get-RoAuditLog -Path $Audit | Where-Object Detail -Match $r.ChangeId).Outcome | Should -Be @('Pending', 'Confirmed')
    }

    It 'refuses another change while one is pending, and Undo rolls back at once' {
        $r = Remove-RoFirewallRule -Connection $Fw -Name 'ntp' -ConfirmWithinSec 60 -Confirm:$false -AuditLogPath $Audit
        $r.ChangeState | Should -Be 'Pending'
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Not -Contain 'ntp'

        { New-RoFirewallRule -Connection $Fw -Name 'dns' -Action Accept -Chain Input -Protocol Udp -Port 53 -Confirm:$false -AuditLogPath $Audit } |
            Should -Throw -ErrorId 'FirewallInUse,RemoteOps.Commands.NewRoFirewallRuleCommand' -ExpectedMessage "*$($r.ChangeId)*waiting for confirmation*"

        $u = $r | Undo-RoFirewallChange -Connection $Fw -AuditLogPath $Audit -Confirm:$false
        $u.State | Should -Be 'RolledBack'
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Contain 'ntp'
        @(Get-TimerProcess $r.ChangeId).Count | Should -Be 0
        { Confirm-RoFirewallChange -Connection $Fw -ChangeId $r.ChangeId -Confirm:$false -AuditLogPath $Audit } |
            Should -Throw -ErrorId 'FirewallNotFound,RemoteOps.Commands.ConfirmRoFirewallChangeCommand'
        (Get-RoAuditLog -Path $Audit | Where-Object Detail -Match $r.ChangeId).Outcome | Should -Be @('Pending', 'RolledBack')
    }

    It 'changes nothing and arms nothing on a second run' {
        $extra = $Base + @(@{ Name = 'ntp'; Action = 'Accept'; Chain = 'Input'; Protocol = 'Udp'; Ports = @('123') })
        $r = Set-RoFirewallPolicy -Connection $Fw -Rule $extra -ConfirmWithinSec 5 -Confirm:$false -AuditLogPath $Audit
        $r.Outcome | Should -Be 'NoChange'
        $r.ChangeId | Should -BeNullOrEmpty
        @(Get-RoFirewallChange -Connection $Fw).Count | Should -Be 0
    }

    It 'saves what every change replaces, in nft format and as a policy file, beside the audit log' {
        $r = Remove-RoFirewallRule -Connection $Fw -Name 'ntp' -Confirm:$false -AuditLogPath $Audit
        $r.BackupPath | Should -BeLike (Join-Path $TestDrive 'firewall-backups/rofc-1-*.nft')
        $r.BackupPolicyPath | Should -Be ($r.BackupPath -replace '\.nft$', '.policy.json')
        Get-Content -Raw $r.BackupPath | Should -Match 'udp dport 123 accept'
        (Get-Content -Raw $r.BackupPolicyPath | ConvertFrom-Json).rules.name | Should -Be @('web', 'no-telnet', 'ntp')

        # The saved policy file puts the rules back.
        (Set-RoFirewallPolicy -Connection $Fw -Path $r.BackupPolicyPath -Confirm:$false -AuditLogPath $Audit).Added | Should -Be 1
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Be @('web', 'no-telnet', 'ntp')
    }

    It 'exports the managed part as nft text and as a policy file that reads back as no change' {
        $e = Export-RoFirewallConfig -Connection $Fw -Path (Join-Path $TestDrive 'export')
        $e.DeviceFormatPath | Should -Be (Join-Path $TestDrive 'export/rofc-1.nft')
        $e.PolicyPath | Should -Be (Join-Path $TestDrive 'export/rofc-1.policy.json')
        $e.RuleCount | Should -Be 3
        Get-Content -Raw $e.DeviceFormatPath | Should -Match 'table inet remoteops'
        $first = Get-Content -Raw $e.PolicyPath
        (Set-RoFirewallPolicy -Connection $Fw -Path $e.PolicyPath -Confirm:$false -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
        $again = Export-RoFirewallConfig -Connection $Fw -Path (Join-Path $TestDrive 'export')
        Get-Content -Raw $again.PolicyPath | Should -Be $first
    }

    It 'keeps nothing on the host once changes are settled' {
        Invoke-Fw 'ls -A /home/rolab/.remoteops/nftables/inet-remoteops' | Should -Be @('fire.sh')
    }
}

Describe 'One change on several firewalls' -Tag 'Lab', 'Firewall' {
    BeforeAll {
        $script:Ssh2 = $Ssh.Clone(); $Ssh2.Address = $Lab.hosts[1].address
        $script:Fw2 = Connect-RoAppliance @Ssh2
        Set-RoFirewallPolicy -Connection $Fw -Rule $Base -Confirm:$false -AuditLogPath $Audit | Out-Null
        function Invoke-Fw2([string] $Command) { Invoke-LabHost -Name $LabName -Index 2 -Directory $Lab.Directory -Command $Command }
    }

    AfterAll {
        Invoke-Fw2 'if [ -x /usr/sbin/nft.real ]; then mv -f /usr/sbin/nft.real /usr/sbin/nft; fi' | Out-Null
    }

    It 'takes the connections from the pipeline and writes one result per firewall' {
        $r = @($Fw, $Fw2 | Set-RoFirewallPolicy -Rule $Base -Confirm:$false -AuditLogPath $Audit)
        $r.Count | Should -Be 2
        ($r | Sort-Object Appliance).Outcome | Should -Be @('NoChange', 'Updated')
        (Get-RoFirewallRule -Connection $Fw2).Name | Should -Be @('web', 'no-telnet')
    }

    It 'goes on with the others when one firewall refuses the change, which leaves it as it was' {
        # host 2's nft passes the check but refuses the load, as a kernel would refuse a rule
        Invoke-Fw2 'mv /usr/sbin/nft /usr/sbin/nft.real && printf ''#!/bin/sh\nif [ "$*" = "-f -" ]; then echo "Error: simulated refusal" >&2; exit 1; fi\nexec /usr/sbin/nft.real "$@"\n'' > /usr/sbin/nft && chmod 755 /usr/sbin/nft' | Out-Null
        $ntp = @{ Name = 'ntp'; Action = 'Accept'; Chain = 'Input'; Protocol = 'Udp'; Ports = @('123') }
        $r = @(Set-RoFirewallPolicy -Connection $Fw, $Fw2 -Rule ($Base + $ntp) -Confirm:$false -AuditLogPath $Audit -ErrorVariable failed -ErrorAction SilentlyContinue)
        ($r | Where-Object Appliance -EQ $Fw.Address).Outcome | Should -Be 'Updated'
        $two = $r | Where-Object Appliance -EQ $Fw2.Address
        $two.Outcome | Should -Be 'Failed'
        $two.ChangeNote | Should -Match 'Nothing was changed'
        $failed.Count | Should -Be 1
        "$($failed[0])" | Should -Match 'simulated refusal'
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Contain 'ntp'
        (Get-RoFirewallRule -Connection $Fw2).Name | Should -Not -Contain 'ntp'
    }

    It 'with -StopOnFirstFailure puts back the firewalls already changed' {
        $dns = @{ Name = 'dns'; Action = 'Accept'; Chain = 'Input'; Protocol = 'Udp'; Ports = @('53') }
        $r = @(Set-RoFirewallPolicy -Connection $Fw, $Fw2 -Rule ($Base + $dns) -StopOnFirstFailure -ThrottleLimit 1 -Confirm:$false -AuditLogPath $Audit -ErrorAction SilentlyContinue)
        ($r | Where-Object Appliance -EQ $Fw.Address).Outcome | Should -Be 'RolledBack'
        ($r | Where-Object Appliance -EQ $Fw2.Address).Outcome | Should -Be 'Failed'
        (Get-RoFirewallRule -Connection $Fw).Name | Should -Be @('web', 'no-telnet', 'ntp')
        (Get-RoAuditLog -Path $Audit -Target "*$($Fw.Address)" | Select-Object -Last 1).Outcome | Should -Be 'RolledBack'
    }

    It 'with -StopOnFirstFailure changes nothing when a firewall cannot even be read' {
        Invoke-Fw2 'mv -f /usr/sbin/nft.real /usr/sbin/nft' | Out-Null
        Stop-LabSshd -Name $LabName -Index 2 -Directory $Lab.Directory
        try {
            $r = @(Set-RoFirewallPolicy -Connection $Fw, $Fw2 -Rule $Base -StopOnFirstFailure -Confirm:$false -AuditLogPath $Audit -ErrorVariable failed -ErrorAction SilentlyContinue)
            $r.Outcome | Should -Be @('NotRun')
            $failed.Count | Should -Be 1
            (Get-RoFirewallRule -Connection $Fw).Name | Should -Contain 'ntp'
        }
        finally { Start-LabSshd -Name $LabName -Index 2 -Directory $Lab.Directory }
    }
}
