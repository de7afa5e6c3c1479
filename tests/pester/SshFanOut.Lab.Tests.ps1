#requires -Version 7.2
# Integration tests against real lab hosts: sshd in network namespaces on 198.18.1.0/24,
# each with its own host key and an isolated overlay root (lab/lab.sh).

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'rotest'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 22 -Subnet 1
    $script:Hosts = @($Lab.hosts)
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:KnownHosts = Join-Path $TestDrive 'known_hosts'
    Copy-Item $Lab.knownHosts $KnownHosts
    $script:Common = @{
        UserName          = $Lab.user
        KeyFilePath       = $Lab.keys.ed25519
        KnownHostsPath    = $KnownHosts
        AuditLogPath      = $Audit
        ConnectTimeoutSec = 5
    }
    $script:PlainPassword = $Lab.password
    $script:Credential = [pscredential]::new($Lab.user, $Lab.SecurePassword)

    # Four hosts that must each fail in their own way.
    $script:Down = $Hosts[18]
    $script:ChangedKey = $Hosts[19]
    $script:Refuses = $Hosts[20]
    $script:Slow = $Hosts[21]
    $script:Healthy = @($Hosts[0..17])

    Stop-LabSshd -Name $LabName -Index $Down.index -Directory $Lab.Directory
    $otherKey = (Get-Content $KnownHosts | Where-Object { $_ -like "$($Hosts[0].address) *" }).Split(' ')[2]
    (Get-Content $KnownHosts) | ForEach-Object {
        if ($_ -like "$($ChangedKey.address) *") { "$($ChangedKey.address) ssh-ed25519 $otherKey" } else { $_ }
    } | Set-Content $KnownHosts
    Invoke-LabHost -Name $LabName -Index $Refuses.index -Directory $Lab.Directory -Command 'rm -f /home/rolab/.ssh/authorized_keys' | Out-Null
    Invoke-LabHost -Name $LabName -Index $Slow.index -Directory $Lab.Directory -Command 'touch /etc/rolab-slow' | Out-Null

    $script:SlowAwareCommand = 'if [ -e /etc/rolab-slow ]; then sleep 30; fi; echo "ok $SSH_CONNECTION"'
}

AfterAll {
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'Invoke-RoSshCommand against 22 lab hosts in one fan-out' -Tag 'Lab' {
    BeforeAll {
        $script:FanOutErrors = $null
        $script:Arrivals = Invoke-RoSshCommand -ComputerName $Lab.Addresses @Common -Command $SlowAwareCommand -TimeoutSec 4 -ThrottleLimit 32 `
            -ErrorVariable FanOutErrors -ErrorAction SilentlyContinue |
            ForEach-Object { [pscustomobject]@{ At = [DateTime]::UtcNow; Result = $_ } }
        $script:Results = @($Arrivals.Result)
        $script:ByHost = @{}
        foreach ($r in $Results) { $ByHost[$r.ComputerName] = $r }
    }

    It 'writes one result per host' {
        $Results.Count | Should -Be 22
        ($Results.ComputerName | Sort-Object -Unique).Count | Should -Be 22
    }

    It 'succeeds on every healthy host with exit code 0 and the command output' {
        foreach ($h in $Healthy) {
            $r = $ByHost[$h.address]
            $r.Status | Should -Be 'Succeeded' -Because "$($h.address): $($r.Message)"
            $r.ExitCode | Should -Be 0
            $r.Output | Should -Match "^ok 198\.18\.1\.1 \d+ $([regex]::Escape($h.address)) 22"
            $r.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
        }
    }

    It 'classifies the host whose sshd is down as Unreachable' {
        $ByHost[$Down.address].Status | Should -Be 'Unreachable'
    }

    It 'classifies the host presenting a changed key as HostKeyMismatch, naming both fingerprints' {
        $r = $ByHost[$ChangedKey.address]
        $r.Status | Should -Be 'HostKeyMismatch'
        $r.Message | Should -Match ([regex]::Escape($ChangedKey.fingerprint))
        $r.Message | Should -Match ([regex]::Escape($Hosts[0].fingerprint))
        $r.Remedy | Should -Match 'Remove-RoKnownHost'
    }

    It 'classifies the host refusing the key as AuthenticationFailed' {
        $ByHost[$Refuses.address].Status | Should -Be 'AuthenticationFailed'
    }

    It 'classifies the host running past -TimeoutSec as TimedOut' {
        $ByHost[$Slow.address].Status | Should -Be 'TimedOut'
        $ByHost[$Slow.address].ExitCode | Should -BeNullOrEmpty
    }

    It 'writes one non-terminating ErrorRecord per failed host, with category and host as target' {
        $FanOutErrors.Count | Should -Be 4
        $expected = @{
            $Down.address       = @('HostUnreachable', 'ConnectionError')
            $ChangedKey.address = @('HostKeyMismatch', 'SecurityError')
            $Refuses.address    = @('AuthenticationFailed', 'AuthenticationError')
            $Slow.address       = @('TimedOut', 'OperationTimeout')
        }
        foreach ($e in $FanOutErrors) {
            $e.TargetObject | Should -BeIn $expected.Keys
            $e.FullyQualifiedErrorId | Should -Be "$($expected[$e.TargetObject][0]),RemoteOps.Commands.InvokeRoSshCommandCommand"
            $e.CategoryInfo.Category | Should -Be $expected[$e.TargetObject][1]
        }
        $ByHost[$Down.address].ErrorRecord.TargetObject | Should -Be $Down.address
    }

    It 'writes each result as soon as its host finishes, not at the end' {
        $first = ($Arrivals | Select-Object -First 1).At
        $last = ($Arrivals | Select-Object -Last 1).At
        ($last - $first).TotalSeconds | Should -BeGreaterThan 2
        ($Arrivals | Select-Object -Last 1).Result.ComputerName | Should -Be $Slow.address
    }

    It 'records one audit line per host with its outcome' {
        $records = @(Get-RoAuditLog -Path $Audit -Action 'Invoke-RoSshCommand')
        $records.Count | Should -BeGreaterOrEqual 22
        ($records | Where-Object Target -like "*@$($Slow.address):22" | Select-Object -First 1).Outcome | Should -Be 'TimedOut'
    }

    It 'renders the default table view' {
        # Results arrive in finishing order, so pick the rows to render by status.
        $rows = @($Results | Where-Object Status -eq 'Succeeded' | Select-Object -First 2) + @($ByHost[$Down.address])
        $text = $rows | Format-Table | Out-String -Width 200
        $text | Should -Match 'ComputerName\s+Status\s+ExitCode\s+Duration\s+Output'
        $text | Should -Match 'Succeeded\s+0\s+[\d.]+s ok '
        $text | Should -Match 'Unreachable\s+[\d.]+s Could not connect'
    }
}

Describe 'Authentication methods' -Tag 'Lab' {
    It 'authenticates with an RSA key that has a passphrase' {
        $passphrase = ConvertTo-SecureString $Lab.rsaKeyPassphrase -AsPlainText -Force
        $r = Invoke-RoSshCommand -ComputerName $Healthy[0].address @Common -KeyFilePath $Lab.keys.rsa -KeyPassphrase $passphrase -Command 'echo rsa'
        $r.Status | Should -Be 'Succeeded'
        $r.Output.Trim() | Should -Be 'rsa'
    }

    It 'reports a wrong key passphrase clearly, without the passphrase' {
        $wrong = ConvertTo-SecureString 'not-the-passphrase-4711' -AsPlainText -Force
        $r = Invoke-RoSshCommand -ComputerName $Healthy[0].address @Common -KeyFilePath $Lab.keys.rsa -KeyPassphrase $wrong -Command true -ErrorAction SilentlyContinue -ErrorVariable failed
        $r.Status | Should -Not -Be 'Succeeded'
        $r.Message | Should -Match 'passphrase'
        ($failed | Out-String) | Should -Not -Match 'not-the-passphrase-4711'
    }

    It 'authenticates with a password from a PSCredential' {
        $parameters = $Common.Clone(); $parameters.Remove('KeyFilePath'); $parameters.Remove('UserName')
        $r = Invoke-RoSshCommand -ComputerName $Healthy[1].address @parameters -Credential $Credential -Command 'echo pw'
        $r.Status | Should -Be 'Succeeded'
    }

    It 'authenticates by keyboard-interactive (PAM) prompts' {
        $parameters = $Common.Clone(); $parameters.Remove('KeyFilePath'); $parameters.Remove('UserName')
        $r = Invoke-RoSshCommand -ComputerName $Healthy[2].address @parameters -Credential $Credential -KeyboardInteractive -Command 'echo kbd'
        $r.Status | Should -Be 'Succeeded'
    }

    It 'never lets the password reach output, errors or the audit log' {
        $parameters = $Common.Clone(); $parameters.Remove('KeyFilePath'); $parameters.Remove('UserName')
        $results = Invoke-RoSshCommand -ComputerName $Healthy[3].address, $Refuses.address @parameters -Credential $Credential `
            -Command "echo $PlainPassword >/dev/null; echo done" -ErrorAction SilentlyContinue -ErrorVariable failed
        $results.Count | Should -Be 2
        ($results | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($PlainPassword))
        ($failed | Format-List * -Force | Out-String) | Should -Not -Match ([regex]::Escape($PlainPassword))
        Get-Content -Raw $Audit | Should -Not -Match ([regex]::Escape($PlainPassword))
        Get-Content -Raw $Audit | Should -Match ([regex]::Escape('echo *** >/dev/null'))
    }

    It 'runs a command line of the largest size allowed, also through sudo' {
        # 64000 bytes with sudo and the wrapper that lets a command be stopped on the host.
        # The refusal of a longer line gives the size as sent, so the difference is the wrapper's.
        $probe = 'x' * 64000
        $refusal = $null
        try { Invoke-RoSshCommand -ComputerName $Healthy[4].address @Common -Sudo -Command $probe -ErrorAction Stop } catch { $refusal = $_ }
        $wrapper = [int]($refusal.Exception.Message -replace '^The command line is (\d+) bytes long.*$', '$1') - 64000
        $wrapper | Should -BeGreaterThan 0
        $line = ': ' + ('y' * (64000 - $wrapper - 11)) + '; echo ok'
        $r = Invoke-RoSshCommand -ComputerName $Healthy[4].address @Common -Sudo -Command $line
        $r.Status | Should -Be 'Succeeded' -Because $r.Message
        $r.Output.Trim() | Should -Be 'ok'
    }

    It 'runs through sudo -n' {
        $r = Invoke-RoSshCommand -ComputerName $Healthy[4].address @Common -Sudo -Command 'id -u'
        $r.Output.Trim() | Should -Be '0'
    }

    It 'quotes -ArgumentList so nothing in it is interpreted by the remote shell' {
        $hostile = '$(touch /tmp/pwned); `touch /tmp/pwned2`; ''"; rm -rf /tmp/nothing'
        $r = Invoke-RoSshCommand -ComputerName $Healthy[5].address @Common -Command 'printf %s' -ArgumentList $hostile
        $r.Output | Should -BeExactly $hostile
        $check = Invoke-RoSshCommand -ComputerName $Healthy[5].address @Common -Command 'ls /tmp/pwned /tmp/pwned2 2>/dev/null | wc -l'
        $check.Output.Trim() | Should -Be '0'
    }

    It 'reaches a host through a jump host' {
        $r = Invoke-RoSshCommand -ComputerName $Healthy[7].address @Common -JumpHost "rolab@$($Healthy[6].address)" -Command 'echo $SSH_CONNECTION'
        $r.Status | Should -Be 'Succeeded' -Because $r.Message
        # The target sees the jump host as its client.
        ($r.Output.Trim() -split ' ')[0] | Should -Be $Healthy[6].address
    }
}

Describe 'Throttling' -Tag 'Lab' {
    It 'never runs more hosts at once than -ThrottleLimit' {
        # Each host prints when its command started and ended (one kernel clock for all lab
        # hosts); the most intervals open at one instant is the concurrency the cmdlet allowed.
        $command = 'date +%s.%N; sleep 0.6; date +%s.%N'
        $results = Invoke-RoSshCommand -ComputerName $Healthy[0..8].ForEach('address') @Common -Command $command -ThrottleLimit 3
        $results.Count | Should -Be 9
        $results.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $events = foreach ($r in $results) {
            $start, $end = @($r.Output -split "`n" | Where-Object { $_ }) | ForEach-Object { [decimal]$_ }
            [pscustomobject]@{ At = $start; Change = 1 }
            [pscustomobject]@{ At = $end; Change = -1 }
        }
        $running = 0; $most = 0
        # At the same instant an end is counted before a start: touching intervals do not overlap.
        foreach ($e in $events | Sort-Object At, Change) {
            $running += $e.Change
            $most = [Math]::Max($most, $running)
        }
        $most | Should -BeLessOrEqual 3
        $most | Should -BeGreaterThan 1 -Because 'the hosts must run in parallel up to the limit'
    }
}

Describe 'Host key policy' -Tag 'Lab' {
    It 'refuses an unknown key under Strict, naming the fingerprint' {
        $empty = Join-Path $TestDrive 'empty_known_hosts'
        Set-Content $empty ''
        $parameters = $Common.Clone(); $parameters.KnownHostsPath = $empty
        $r = Invoke-RoSshCommand -ComputerName $Healthy[0].address @parameters -Command true -ErrorAction SilentlyContinue -ErrorVariable failed
        $r.Status | Should -Be 'HostKeyUnknown'
        $failed[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $failed[0].Exception.Message | Should -Match ([regex]::Escape($Healthy[0].fingerprint))
    }

    It 'records keys on first use under AcceptNew, then trusts them under Strict' {
        $fresh = Join-Path $TestDrive 'tofu_known_hosts'
        $parameters = $Common.Clone(); $parameters.KnownHostsPath = $fresh
        $first = Invoke-RoSshCommand -ComputerName $Healthy[0..2].ForEach('address') @parameters -HostKeyPolicy AcceptNew -Command true
        $first.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        (Get-RoKnownHost -KnownHostsPath $fresh).Count | Should -Be 3
        $again = Invoke-RoSshCommand -ComputerName $Healthy[0..2].ForEach('address') @parameters -Command true
        $again.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        $again.HostKeyRecorded | Should -Be @($false, $false, $false)
        $trusted = @(Get-RoAuditLog -Path $Audit -Action 'Trust host key (AcceptNew)' | Where-Object Target -in $Healthy[0..2].ForEach({ "$($_.address):22" }))
        $trusted.Count | Should -Be 3
        $trusted.Detail | Should -Contain $Healthy[0].fingerprint
    }

    It 'asks for a fingerprint per host under -HostKeyPolicy Pinned without one' {
        $r = Invoke-RoSshCommand -ComputerName $Healthy[0].address @Common -HostKeyPolicy Pinned -Command true -ErrorAction SilentlyContinue -ErrorVariable failed
        $r | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'PinnedPolicyWithoutFingerprint,RemoteOps.Commands.InvokeRoSshCommandCommand'
        $failed[0].TargetObject | Should -Be $Healthy[0].address
    }

    It 'applies pins to the target, and checks the jump host against the known-hosts store' {
        $r = Invoke-RoSshCommand -ComputerName $Healthy[7].address @Common -JumpHost "rolab@$($Healthy[6].address)" -HostKeyFingerprint $Healthy[7].fingerprint -Command true
        $r.Status | Should -Be 'Succeeded' -Because $r.Message
    }

    It 'accepts a pinned fingerprint and refuses a wrong pin' {
        $parameters = $Common.Clone(); $parameters.KnownHostsPath = Join-Path $TestDrive 'unused_known_hosts'
        $ok = Invoke-RoSshCommand -ComputerName $Healthy[1].address @parameters -HostKeyFingerprint $Healthy[1].fingerprint -Command true
        $ok.Status | Should -Be 'Succeeded'
        $bad = Invoke-RoSshCommand -ComputerName $Healthy[1].address @parameters -HostKeyFingerprint $Healthy[2].fingerprint -Command true -ErrorAction SilentlyContinue
        $bad.Status | Should -Be 'HostKeyMismatch'
    }

    It 'Get-RoSshHostKey reports each host''s real fingerprint and whether it is trusted' {
        $keys = Get-RoSshHostKey -ComputerName $Healthy.ForEach('address') -KnownHostsPath $KnownHosts
        $keys.Count | Should -Be $Healthy.Count
        foreach ($k in $keys) {
            $k.Fingerprint | Should -Be ($Healthy | Where-Object address -eq $k.ComputerName).fingerprint
            $k.KnownHostsStatus | Should -Be 'Trusted'
        }
        (Get-RoSshHostKey -ComputerName $ChangedKey.address -KnownHostsPath $KnownHosts).KnownHostsStatus | Should -Be 'Mismatch'
    }

    It 'Get-RoSshHostKey | Add-RoKnownHost trusts keys, and a second run changes nothing' {
        $store = Join-Path $TestDrive 'piped_known_hosts'
        $added = Get-RoSshHostKey -ComputerName $Healthy[0..3].ForEach('address') -KnownHostsPath $store | Add-RoKnownHost -KnownHostsPath $store -AuditLogPath $Audit
        $added.Count | Should -Be 4
        $before = Get-Content -Raw $store
        Get-RoSshHostKey -ComputerName $Healthy[0..3].ForEach('address') -KnownHostsPath $store | Add-RoKnownHost -KnownHostsPath $store -AuditLogPath $Audit | Out-Null
        Get-Content -Raw $store | Should -Be $before
    }

    It 'Add-RoKnownHost -Fingerprint refuses a key that does not match' {
        $store = Join-Path $TestDrive 'checked_known_hosts'
        Add-RoKnownHost -ComputerName $Healthy[0].address -Fingerprint $Healthy[1].fingerprint -KnownHostsPath $store -AuditLogPath $Audit -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'HostKeyMismatch,*'
        Test-Path $store | Should -BeFalse -Because 'nothing may be written for a refused key'
    }

    It 'Remove-RoKnownHost -WhatIf changes nothing; without it the entry goes' {
        $store = Join-Path $TestDrive 'remove_known_hosts'
        Copy-Item $KnownHosts $store
        $before = Get-Content -Raw $store
        Remove-RoKnownHost -ComputerName $Healthy[0].address -KnownHostsPath $store -AuditLogPath $Audit -WhatIf
        Get-Content -Raw $store | Should -Be $before
        Remove-RoKnownHost -ComputerName $Healthy[0].address -KnownHostsPath $store -AuditLogPath $Audit
        Get-RoKnownHost -ComputerName $Healthy[0].address -KnownHostsPath $store | Should -BeNullOrEmpty
        Get-RoKnownHost -ComputerName $Healthy[1].address -KnownHostsPath $store | Should -Not -BeNullOrEmpty
    }
}

Describe 'Pipeline input and -WhatIf' -Tag 'Lab' {
    It 'binds ComputerName and Port by property name from Import-Csv' {
        $results = Import-Csv (Join-Path $Lab.Directory 'hosts.csv') | Select-Object -First 5 | Invoke-RoSshCommand @Common -Command 'echo csv'
        $results.Count | Should -Be 5
        $results.Status | Sort-Object -Unique | Should -Be 'Succeeded'
    }

    It '-WhatIf runs nothing and records nothing' {
        $linesBefore = @(Get-Content $Audit -ErrorAction SilentlyContinue).Count
        $r = Invoke-RoSshCommand -ComputerName $Healthy[8].address @Common -Command 'touch /tmp/whatif-marker' -WhatIf
        $r | Should -BeNullOrEmpty
        Invoke-LabHost -Name $LabName -Index $Healthy[8].index -Directory $Lab.Directory -Command 'test -e /tmp/whatif-marker && echo present || echo absent' | Should -Be 'absent'
        @(Get-Content $Audit -ErrorAction SilentlyContinue).Count | Should -Be $linesBefore
    }

    It 'rejects a host name with shell metacharacters before contacting anything' {
        $r = Invoke-RoSshCommand -ComputerName 'host;rm -rf /' @Common -Command true -ErrorAction SilentlyContinue -ErrorVariable failed
        $r | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidComputerName,RemoteOps.Commands.InvokeRoSshCommandCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].TargetObject | Should -Be 'host;rm -rf /'
    }

    It 'stops with InvalidArgument on a malformed pinned fingerprint' {
        { Invoke-RoSshCommand -ComputerName $Healthy[0].address @Common -HostKeyFingerprint 'MD5:aa:bb' -Command true -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidFingerprint,RemoteOps.Commands.InvokeRoSshCommandCommand'
    }
}

Describe 'SFTP fan-out' -Tag 'Lab' {
    BeforeAll {
        $script:Payload = Join-Path $TestDrive 'payload.bin'
        $bytes = [byte[]]::new(300KB + 7)
        [System.Random]::new(42).NextBytes($bytes)
        for ($i = 0; $i -lt 256; $i++) { $bytes[$i] = [byte]$i }
        [IO.File]::WriteAllBytes($Payload, $bytes)
        $script:PayloadHash = (Get-FileHash $Payload -Algorithm SHA256).Hash.ToLowerInvariant()
    }

    It 'round-trips a binary file byte for byte on every healthy host' {
        $sent = Send-RoFile -ComputerName $Healthy.ForEach('address') @Common -Path $Payload -Destination '/tmp/payload.bin'
        $sent.Count | Should -Be $Healthy.Count
        $sent.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        $sent.Sha256 | Sort-Object -Unique | Should -Be $PayloadHash
        $parameters = $Common.Clone(); $parameters.Remove('AuditLogPath')
        $back = Join-Path $TestDrive 'received'
        $received = Receive-RoFile -ComputerName $Healthy.ForEach('address') @parameters -Path '/tmp/payload.bin' -Destination $back
        $received.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        foreach ($h in $Healthy) {
            $copy = Join-Path $back "$($h.address)/payload.bin"
            (Get-FileHash $copy -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $PayloadHash
        }
        # A second download replaces the local copy in place and leaves no partial files.
        $again = Receive-RoFile -ComputerName $Healthy[0].address @parameters -Path '/tmp/payload.bin' -Destination $back
        $again.Status | Should -Be 'Succeeded'
        @(Get-ChildItem $back -Recurse -File | Where-Object Name -like '*.partial-*').Count | Should -Be 0
    }

    It 'uploads into a directory under the file''s own name, atomically' {
        $r = Send-RoFile -ComputerName $Healthy[0].address @Common -Path $Payload -Destination '/tmp/'
        $r.Destination | Should -Be '/tmp/payload.bin'
        $left = Invoke-RoSshCommand -ComputerName $Healthy[0].address @Common -Command 'ls /tmp | grep -c partial || true'
        $left.Output.Trim() | Should -Be '0'
    }

    It 'reports a missing remote file as Failed, leaving no partial local file' {
        $parameters = $Common.Clone(); $parameters.Remove('AuditLogPath')
        $back = Join-Path $TestDrive 'missing'
        $r = Receive-RoFile -ComputerName $Healthy[0].address @parameters -Path '/nonexistent/file' -Destination $back -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Failed'
        @(Get-ChildItem $back -Recurse -ErrorAction SilentlyContinue).Count | Should -Be 0 -Because 'no partial file and no empty host folder may be left'
    }

    It 'round-trips a file whose name has the full 255 bytes a name may have' {
        $name = ('n' * 251) + '.bin'
        $local = Join-Path $TestDrive $name
        [IO.File]::WriteAllBytes($local, [byte[]](1..200))
        $sent = Send-RoFile -ComputerName $Healthy[1].address @Common -Path $local -Destination '/tmp/'
        $sent.Status | Should -Be 'Succeeded' -Because $sent.Message
        $parameters = $Common.Clone(); $parameters.Remove('AuditLogPath')
        $back = Join-Path $TestDrive 'long-name'
        $received = Receive-RoFile -ComputerName $Healthy[1].address @parameters -Path "/tmp/$name" -Destination $back
        $received.Status | Should -Be 'Succeeded' -Because $received.Message
        $received.Sha256 | Should -Be $sent.Sha256
    }

    It 'rejects a missing local file before contacting any host' {
        { Send-RoFile -ComputerName $Healthy[0].address @Common -Path (Join-Path $TestDrive 'nope.bin') -Destination /tmp/ -ErrorAction Stop } |
            Should -Throw -ErrorId 'LocalFileNotFound,RemoteOps.Commands.SendRoFileCommand'
    }
}

Describe 'Audit of a run that is stopped' -Tag 'Lab' {
    It 'audits the results still queued when Select-Object -First stops the run' {
        $log = Join-Path $TestDrive 'stopped-audit.jsonl'
        $parameters = $Common.Clone(); $parameters.AuditLogPath = $log
        # One host answers at once; the others are still running (or just done) when the
        # pipeline stops after the first result, and their results are never written.
        $first = Invoke-RoSshCommand -ComputerName $Healthy[10..15].ForEach('address') @parameters `
            -Command "case `$(hostname -I) in *$($Healthy[10].address)*) echo first ;; *) sleep 1; echo later ;; esac" |
            Select-Object -First 1
        $first.ComputerName | Should -Be $Healthy[10].address
        $records = @(Get-RoAuditLog -Path $log)
        $records.Count | Should -Be 6 -Because 'every host that was worked on is audited, written or not'
        ($records.Target | Sort-Object -Unique).Count | Should -Be 6
    }
}

Describe 'Audit log under concurrent runbooks' -Tag 'Lab' {
    It 'keeps every line when two processes write to the same log at once' {
        $shared = Join-Path $TestDrive 'shared-audit.jsonl'
        $targets = $Healthy[0..9].ForEach('address')
        $jobs = 1..2 | ForEach-Object {
            Start-Job -ScriptBlock {
                param($modulePath, $targets, $common, $shared)
                Import-Module $modulePath
                $common.AuditLogPath = $shared
                Invoke-RoSshCommand -ComputerName $targets @common -Command 'echo audit' | Out-Null
            } -ArgumentList $env:REMOTEOPS_MODULE_PATH, $targets, $Common, $shared
        }
        $jobs | Wait-Job -Timeout 120 | Receive-Job -ErrorAction SilentlyContinue | Out-Null
        $jobs | Remove-Job -Force
        $lines = Get-Content $shared
        $lines.Count | Should -Be 20
        foreach ($line in $lines) { { $line | ConvertFrom-Json } | Should -Not -Throw }
    }
}
