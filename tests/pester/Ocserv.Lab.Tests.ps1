#requires -Version 7.2
# The ocserv driver end to end against a real ocserv in a lab namespace, managed over SSH,
# checked with the real openconnect client running in another lab namespace.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'rovpn'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 3 -Subnet 6
    $script:OcservScript = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/ocserv.sh'
    $output = & bash $OcservScript up --name $LabName --host 1 --max-clients 8 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ocserv did not come up: $($output -join "`n")" }
    $script:Server = $Lab.hosts[0]
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Vpn = Connect-RoVpnAppliance -Driver Ocserv -Address $Server.address -UserName $Lab.user -KeyFilePath $Lab.keys.ed25519 -KnownHostsPath $Lab.knownHosts
    $script:Password = 'Alice-VPN-pw-2718'
    $script:SecurePassword = ConvertTo-SecureString $Password -AsPlainText -Force

    # openconnect from lab host 2 (its own network namespace), the password on standard input.
    function Test-VpnLogin {
        param([string] $User, [string] $Secret)
        $Secret | & bash $OcservScript client-auth --name $LabName --host 2 --server 1 --user $User 2>&1 | Out-Null
        return $LASTEXITCODE -eq 0
    }
}

AfterAll {
    if ($script:Vpn) { Disconnect-RoVpnAppliance -Connection $Vpn }
    if ($script:Lab) {
        & bash $OcservScript down --name $LabName 2>&1 | Out-Null
        Stop-TestLab -Name $LabName -Directory $Lab.Directory
    }
}

Describe 'ocserv over SSH with the real openconnect client' -Tag 'Lab', 'Vpn' {
    It 'connects and reads the server''s status' {
        $Vpn.Driver | Should -Be 'Ocserv'
        $capacity = @(Get-RoVpnCapacity -Connection $Vpn)
        $capacity.Count | Should -Be 1
        $capacity[0].MaximumSessions | Should -Be 8
        $capacity[0].LimitSource | Should -Be 'Configured'
    }

    It 'creates a user whose password then works with openconnect --authenticate' {
        $r = [pscustomobject]@{ UserName = 'alice'; Group = 'staff' } | New-RoVpnUser -Connection $Vpn -Password $SecurePassword -AuditLogPath $Audit
        $r.Outcome | Should -Be 'Created'
        Test-VpnLogin -User 'alice' -Secret $Password | Should -BeTrue
        Test-VpnLogin -User 'alice' -Secret 'wrong-password' | Should -BeFalse
    }

    It 'changes nothing when the same user is created again' {
        $r = [pscustomobject]@{ UserName = 'alice'; Group = 'staff' } | New-RoVpnUser -Connection $Vpn -Password $SecurePassword -AuditLogPath $Audit
        $r.Outcome | Should -Be 'NoChange'
    }

    It 'refuses the login after Set-RoVpnUser -Enabled:$false, and allows it again after -Enabled' {
        (Set-RoVpnUser -Connection $Vpn -UserName 'alice' -Enabled:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        (Get-RoVpnUser -Connection $Vpn -UserName 'alice').Enabled | Should -BeFalse
        Test-VpnLogin -User 'alice' -Secret $Password | Should -BeFalse
        (Set-RoVpnUser -Connection $Vpn -UserName 'alice' -Enabled -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        Test-VpnLogin -User 'alice' -Secret $Password | Should -BeTrue
    }

    It 'shows a real connected session and Disconnect-RoVpnSession ends it' {
        $Password | & bash $OcservScript client-connect --name $LabName --host 2 --server 1 --user alice 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        try {
            $sessions = @(Get-RoVpnSession -Connection $Vpn -UserName alice)
            $sessions.Count | Should -Be 1
            $sessions[0].ClientAddress | Should -Be $Lab.hosts[1].address
            $sessions[0].TunnelAddress | Should -Match '^198\.19\.'
            (Get-RoVpnCapacity -Connection $Vpn).ActiveSessions | Should -Be 1
            $sessions | Disconnect-RoVpnSession -Connection $Vpn -Confirm:$false -AuditLogPath $Audit
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (@(Get-RoVpnSession -Connection $Vpn -UserName alice).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            @(Get-RoVpnSession -Connection $Vpn -UserName alice).Count | Should -Be 0
        }
        finally {
            & bash $OcservScript client-stop --name $LabName --host 2 2>&1 | Out-Null
        }
    }

    It 'resets a password: the old one stops working, the new one works' {
        $new = 'Alice-New-pw-3141'
        (Set-RoVpnUser -Connection $Vpn -UserName 'alice' -Password (ConvertTo-SecureString $new -AsPlainText -Force) -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
        Test-VpnLogin -User 'alice' -Secret $Password | Should -BeFalse
        Test-VpnLogin -User 'alice' -Secret $new | Should -BeTrue
        (Get-RoVpnUser -Connection $Vpn -UserName 'alice').Groups | Should -Be @('staff')
    }

    It 'rejects a user name with shell metacharacters before touching the server' {
        $r = [pscustomobject]@{ UserName = 'x$(touch /tmp/pwned)' } | New-RoVpnUser -Connection $Vpn -Password $SecurePassword -ErrorAction SilentlyContinue -ErrorVariable failed
        $r | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidVpnUserRow,RemoteOps.Commands.NewRoVpnUserCommand'
        Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command 'test -e /tmp/pwned && echo present || echo absent' | Should -Be 'absent'
    }

    It 'exports a backup without password hashes, and compares it with the live server' {
        $path = Join-Path $TestDrive 'ocserv-backup.json'
        Export-RoVpnConfig -Connection $Vpn -Path $path | Out-Null
        $text = Get-Content -Raw $path
        $text | Should -Match 'max-clients'
        $text | Should -Not -Match '\$5\$'
        @(Compare-RoVpnConfig -Connection $Vpn -ReferencePath $path -Live | Where-Object Section -ne 'status').Count | Should -Be 0
    }

    It 'removes the user; the login fails afterwards and a second removal is NoChange' {
        (Remove-RoVpnUser -Connection $Vpn -UserName 'alice' -Force -AuditLogPath $Audit).Outcome | Should -Be 'Removed'
        Test-VpnLogin -User 'alice' -Secret 'Alice-New-pw-3141' | Should -BeFalse
        (Remove-RoVpnUser -Connection $Vpn -UserName 'alice' -Force -AuditLogPath $Audit).Outcome | Should -Be 'NoChange'
    }

    It 'runs sshd with OpenSSH''s default channel limit, like the servers users manage' {
        $settings = & bash (Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/lab.sh') exec --name $LabName --host 1 -- /usr/sbin/sshd -T -f /etc/ssh/sshd_config 2>&1
        $LASTEXITCODE | Should -Be 0
        $settings | Should -Contain 'maxsessions 10'
        $settings | Should -Contain 'maxstartups 10:30:100'
    }

    It 'onboards 40 users from a CSV file with -ThrottleLimit 16 over one SSH connection, every row Created' {
        $csv = Join-Path $TestDrive 'bulk.csv'
        1..40 | ForEach-Object { [pscustomobject]@{ UserName = 'bulk{0:d2}' -f $_; Group = 'staff' } } | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv | New-RoVpnUser -Connection $Vpn -Password $SecurePassword -ThrottleLimit 16 -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failures)
        ($failures | ForEach-Object { "$_" }) -join "`n" | Should -BeNullOrEmpty
        $rows.Count | Should -Be 40
        @($rows | Where-Object Outcome -eq 'Created').Count | Should -Be 40
        @(Get-RoVpnUser -Connection $Vpn | Where-Object UserName -like 'bulk*').Count | Should -Be 40
        $gone = @(Get-RoVpnUser -Connection $Vpn | Where-Object UserName -like 'bulk*' | Remove-RoVpnUser -Connection $Vpn -Force -ThrottleLimit 16 -AuditLogPath $Audit)
        @($gone | Where-Object Outcome -eq 'Removed').Count | Should -Be 40
    }

    It 'refuses a password ocpasswd cannot hash, and the longest it takes works at sign-in' {
        $tooLong = ConvertTo-SecureString ('p' * 512) -AsPlainText -Force
        $r = [pscustomobject]@{ UserName = 'longpw' } | New-RoVpnUser -Connection $Vpn -Password $tooLong -AuditLogPath $Audit -ErrorAction SilentlyContinue
        $r.Outcome | Should -Be 'Failed'
        $r.Message | Should -Match 'at most 511 bytes'
        Get-RoVpnUser -Connection $Vpn -UserName 'longpw' | Should -BeNullOrEmpty
        $longest = 'p' * 511
        ([pscustomobject]@{ UserName = 'longpw' } | New-RoVpnUser -Connection $Vpn -Password (ConvertTo-SecureString $longest -AsPlainText -Force) -AuditLogPath $Audit).Outcome | Should -Be 'Created'
        Test-VpnLogin -User 'longpw' -Secret $longest | Should -BeTrue
        (Remove-RoVpnUser -Connection $Vpn -UserName 'longpw' -Force -AuditLogPath $Audit).Outcome | Should -Be 'Removed'
    }

    It 'works through a non-root account that has only the sudoers drop-in of docs/ocserv-sudoers.md' {
        $doc = Get-Content -Raw (Join-Path $env:REMOTEOPS_REPO_ROOT 'docs/ocserv-sudoers.md')
        $dropIn = [regex]::Match($doc, '(?s)```sudoers\r?\n(.*?)```').Groups[1].Value
        $dropIn | Should -Match 'vpnops ALL'
        $b64 = { param($text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)) }
        $key = Get-Content -Raw "$($Lab.keys.ed25519).pub"
        Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command (
            'set -e; id vpnops >/dev/null 2>&1 || useradd --create-home --shell /bin/bash vpnops; usermod -p "*" vpnops; ' +
            'install -d -m 0700 -o vpnops -g vpnops /home/vpnops/.ssh; ' +
            "echo $(& $b64 $key) | base64 -d > /home/vpnops/.ssh/authorized_keys; chown vpnops: /home/vpnops/.ssh/authorized_keys; chmod 0600 /home/vpnops/.ssh/authorized_keys; " +
            "echo $(& $b64 $dropIn) | base64 -d > /tmp/remoteops-ocserv; visudo -cf /tmp/remoteops-ocserv; install -m 0440 /tmp/remoteops-ocserv /etc/sudoers.d/remoteops-ocserv") | Out-Null

        $op = Connect-RoVpnAppliance -Driver Ocserv -Address $Server.address -UserName vpnops -KeyFilePath $Lab.keys.ed25519 -KnownHostsPath $Lab.knownHosts -NotDefault
        try {
            $op.Version | Should -Match '^ocserv 1\.'
            $secret = 'Least-Priv-pw-1618'
            $made = [pscustomobject]@{ UserName = 'leastpriv'; Group = 'staff' } | New-RoVpnUser -Connection $op -Password (ConvertTo-SecureString $secret -AsPlainText -Force) -AuditLogPath $Audit
            $made.Outcome | Should -Be 'Created'
            Test-VpnLogin -User 'leastpriv' -Secret $secret | Should -BeTrue
            (Set-RoVpnUser -Connection $op -UserName 'leastpriv' -Group 'staff', 'ops' -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
            (Get-RoVpnUser -Connection $op -UserName 'leastpriv').Groups | Should -Be @('staff', 'ops')
            (Set-RoVpnUser -Connection $op -UserName 'leastpriv' -Enabled:$false -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
            Test-VpnLogin -User 'leastpriv' -Secret $secret | Should -BeFalse
            $newSecret = 'Least-Priv-pw-2718'
            (Set-RoVpnUser -Connection $op -UserName 'leastpriv' -Enabled -Password (ConvertTo-SecureString $newSecret -AsPlainText -Force) -AuditLogPath $Audit).Outcome | Should -Be 'Updated'
            Test-VpnLogin -User 'leastpriv' -Secret $newSecret | Should -BeTrue
            @(Get-RoVpnSession -Connection $op).Count | Should -Be 0
            (Get-RoVpnCapacity -Connection $op).MaximumSessions | Should -Be 8
            $backup = Join-Path $TestDrive 'least-privilege-backup.json'
            Export-RoVpnConfig -Connection $op -Path $backup | Out-Null
            Get-Content -Raw $backup | Should -Match 'leastpriv:staff,ops:\(hash withheld\)'
            (Remove-RoVpnUser -Connection $op -UserName 'leastpriv' -Force -AuditLogPath $Audit).Outcome | Should -Be 'Removed'
            Get-RoVpnUser -Connection $op -UserName 'leastpriv' | Should -BeNullOrEmpty
        }
        finally {
            Disconnect-RoVpnAppliance -Connection $op
        }

        # The drop-in allows those commands and nothing else: no shell, no other file.
        Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command (
            'for c in "cat -- /etc/ocserv/ocserv.conf" "sh -c id" "cat -- /etc/shadow" "occtl stop now" "ocpasswd -c /etc/shadow -- root"; do ' +
            'if su vpnops -s /bin/sh -c "sudo -n -- $c" </dev/null >/dev/null 2>&1; then echo "allowed: $c"; fi; done; echo checked') |
            Should -Be @('allowed: cat -- /etc/ocserv/ocserv.conf', 'checked')
    }

    It 'kept every password out of the audit log' {
        $log = Get-Content -Raw $Audit
        $log | Should -Not -Match 'Alice-VPN-pw-2718'
        $log | Should -Not -Match 'Alice-New-pw-3141'
        @(Get-RoAuditLog -Path $Audit -Action 'Set-RoVpnUser').Count | Should -BeGreaterOrEqual 3
    }
}
