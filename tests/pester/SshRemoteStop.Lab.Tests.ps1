#requires -Version 7.2
# A command that times out or is stopped must also end on the host, for every login: root (whose
# sessions OpenSSH will not signal), an ordinary account, and an ordinary account under sudo.
# Lab hosts on 198.18.12.0/24 (lab/lab.sh); they share this machine's process table, so pgrep
# here sees their processes.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'rostop'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 22 -Subnet 12
    $script:Hosts = @($Lab.hosts)
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:KnownHosts = Join-Path $TestDrive 'known_hosts'
    Copy-Item $Lab.knownHosts $KnownHosts
    $script:Common = @{
        KeyFilePath       = $Lab.keys.ed25519
        KnownHostsPath    = $KnownHosts
        AuditLogPath      = $Audit
        ConnectTimeoutSec = 5
    }

    # Root logs in with the lab user's key on the first and fourth hosts.
    foreach ($h in $Hosts[0], $Hosts[3]) {
        Invoke-LabHost -Name $LabName -Index $h.index -Directory $Lab.Directory `
            -Command 'install -d -m 0700 /root/.ssh && cp /home/rolab/.ssh/authorized_keys /root/.ssh/authorized_keys' | Out-Null
    }

    # A sleep whose command line no other process has: GNU sleep adds up its durations.
    function script:New-SleepTag { '0.000' + (Get-Random -Minimum 100000000 -Maximum 999999999) }
    function script:Get-SleepCount([string] $Tag) {
        $pattern = '^sleep [0-9]+ ' + [regex]::Escape($Tag)
        @(& pgrep -f $pattern).Count
    }
    function script:Wait-SleepGone([string] $Tag) {
        # The kill is confirmed before the result is written; a moment covers the process table.
        $deadline = [DateTime]::UtcNow.AddSeconds(3)
        while ((Get-SleepCount $Tag) -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Get-SleepCount $Tag
    }
}

AfterAll {
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'A command stopped on the host when it times out or the run is stopped' -Tag 'Lab' {
    It 'sees from here a process started on a lab host (the checks below rely on it)' {
        $tag = New-SleepTag
        $r = Invoke-RoSshCommand -ComputerName $Hosts[1].address -UserName $Lab.user @Common `
            -Command "sleep 60 $tag >/dev/null 2>&1 </dev/null & echo `$!"
        $r.Status | Should -Be 'Succeeded' -Because $r.Message
        try {
            Get-SleepCount $tag | Should -Be 1
        }
        finally {
            & kill ([int] $r.Output.Trim()) 2>$null
        }
    }

    It 'ends a timed-out command of a root login, which the SSH signal request cannot' {
        $tag = New-SleepTag
        $r = Invoke-RoSshCommand -ComputerName $Hosts[0].address -UserName root @Common -Command "sleep 300 $tag" `
            -TimeoutSec 2 -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'TimedOut'
        $r.RemoteStopped | Should -BeTrue -Because $r.Message
        $r.Message | Should -Match 'ended on the host'
        $r.ExitCode | Should -BeNullOrEmpty
        Wait-SleepGone $tag | Should -Be 0
    }

    It 'ends a timed-out command run under -Sudo by an ordinary account, with everything it started' {
        $tag = New-SleepTag
        $r = Invoke-RoSshCommand -ComputerName $Hosts[1].address -UserName $Lab.user @Common -Sudo `
            -Command "sleep 300 $tag & sleep 301 $tag; wait" -TimeoutSec 2 -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'TimedOut'
        $r.RemoteStopped | Should -BeTrue -Because $r.Message
        Wait-SleepGone $tag | Should -Be 0
    }

    It 'ends a timed-out command of an ordinary account and keeps what it wrote' {
        $tag = New-SleepTag
        $r = Invoke-RoSshCommand -ComputerName $Hosts[2].address -UserName $Lab.user @Common `
            -Command "echo before; echo warning >&2; sleep 300 $tag" -TimeoutSec 2 -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'TimedOut'
        $r.RemoteStopped | Should -BeTrue -Because $r.Message
        $r.Output | Should -Be "before`n"
        # The shell may add a line about the signal; the process report never shows.
        $r.StandardError | Should -Match "^warning`n"
        $r.StandardError | Should -Not -Match 'RemoteOpsPid'

        Wait-SleepGone $tag | Should -Be 0
    }

    It 'leaves RemoteStopped empty and the output as it was for a command that finishes' {
        $r = Invoke-RoSshCommand -ComputerName $Hosts[2].address -UserName $Lab.user @Common `
            -Command 'echo out; echo err >&2; exit 4' -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Failed'
        $r.ExitCode | Should -Be 4
        $r.RemoteStopped | Should -BeNullOrEmpty
        $r.Output | Should -Be "out`n"
        $r.StandardError | Should -Be "err`n"
    }

    It 'passes standard input through, and reports a command killed by a signal without an exit code' {
        $r = Invoke-RoSshCommand -ComputerName $Hosts[2].address -UserName $Lab.user @Common `
            -Command 'kill -s KILL $$' -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Failed'
        $r.ExitCode | Should -BeNullOrEmpty
        $r.Message | Should -Match 'killed by a signal'
    }

    It 'ends the command still running on another host when Select-Object -First 1 stops the run (root too)' {
        $tag = New-SleepTag
        Invoke-LabHost -Name $LabName -Index $Hosts[0].index -Directory $Lab.Directory -Command 'touch /etc/rolab-slow' | Out-Null
        try {
            $first = Invoke-RoSshCommand -ComputerName $Hosts[0].address, $Hosts[3].address -UserName root @Common -TimeoutSec 120 `
                -Command "if [ -e /etc/rolab-slow ]; then sleep 300 $tag; else sleep 2; echo fast; fi" -ErrorAction SilentlyContinue |
                Select-Object -First 1
        }
        finally {
            Invoke-LabHost -Name $LabName -Index $Hosts[0].index -Directory $Lab.Directory -Command 'rm -f /etc/rolab-slow' | Out-Null
        }
        $first.ComputerName | Should -Be $Hosts[3].address
        Wait-SleepGone $tag | Should -Be 0
        $stopped = Get-Content $Audit | ConvertFrom-Json | Where-Object { $_.Target -like "root@$($Hosts[0].address):*" -and $_.Detail -like "*$tag*" }
        $stopped.Outcome | Should -Be 'Cancelled'
    }

    It 'stops 20 running hosts together when Select-Object -First 1 ends the run, leaving none running' {
        # A loose bound only: one stop after another took about half a second per host.
        $tag = New-SleepTag
        $fast = $Hosts[21].address
        $arrived = $null
        $first = Invoke-RoSshCommand -ComputerName $Lab.Addresses[2..21] -UserName $Lab.user @Common -TimeoutSec 120 `
            -Command "case `"`$SSH_CONNECTION`" in *' $fast 22') sleep 3; echo fast;; *) sleep 300 $tag;; esac" -ErrorAction SilentlyContinue |
            ForEach-Object { $arrived = [DateTime]::UtcNow; $_ } |
            Select-Object -First 1
        $stopTook = [DateTime]::UtcNow - $arrived
        $first.ComputerName | Should -Be $fast
        Wait-SleepGone $tag | Should -Be 0
        $stopTook.TotalSeconds | Should -BeLessThan 8

        # Every stopped host is audited, and its line says whether its command was ended there.
        $stopped = @(Get-Content $Audit | ConvertFrom-Json | Where-Object { $_.Outcome -eq 'Cancelled' -and $_.Detail -like "*$tag*" })
        $stopped.Count | Should -Be 19
        foreach ($line in $stopped) {
            $line.Detail | Should -Match 'was ended on the host|not confirmed within|had not ended'
        }
    }

    It 'ends a timed-out command of the drivers'' shell (ocserv, nftables) for a root login too, and for a cancelled one' {
        # The shell the SSH drivers use (SshRemoteShell over SshSession.RunAsync) had only the SSH
        # signal request, which OpenSSH refuses for root: the command ran on.
        # The module loads its Core assembly in a load context of its own: its types are reached through it.
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'RemoteOps.Core' } | Select-Object -First 1
        # Arguments arrive wrapped (Join-Path's output is a PSObject); reflection needs the objects themselves.
        function New-Core([string] $Name) {
            $values = [Collections.Generic.List[object]]::new()
            foreach ($value in $args) { $values.Add($(if ($null -eq $value) { $null } else { $value.PSObject.BaseObject })) }
            [Activator]::CreateInstance($core.GetType("RemoteOps.Core.$Name", $true), $values.ToArray())
        }
        $credentials = New-Core 'Ssh.SshCredentials' 'root'
        $credentials.KeyFiles.Add((New-Core 'Ssh.SshKeyFile' $Lab.keys.ed25519 $null))
        $options = New-Core 'Ssh.SshConnectOptions'
        $policyType = $core.GetType('RemoteOps.Core.Ssh.HostKeyPolicy', $true)
        $sessionType = $core.GetType('RemoteOps.Core.Ssh.SshSession', $true)
        $strict = $policyType::Strict
        $storeType = $core.GetType('RemoteOps.Core.Ssh.KnownHosts.KnownHostsStore', $true)
        $store = [Activator]::CreateInstance($storeType, [object[]]@([string]$KnownHosts, [string[]]::new(0)))
        $options.HostKeyVerifier = New-Core 'Ssh.HostKeyVerifier' $store $strict
        $target = New-Core 'Ssh.SshTarget' $Hosts[3].address 22 'root'
        $session = $sessionType::ConnectAsync($target, $credentials, $options, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $shell = New-Core 'Ssh.SshRemoteShell' $session $false ([TimeSpan]::FromSeconds(2)) 8
        try {
            $tag = New-SleepTag
            $out = $shell.RunAsync("echo started; sleep 300 $tag", $null, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
            $out.TimedOut | Should -BeTrue
            $out.StandardOutput | Should -Be "started`n"
            $out.RemoteStop.Stopped | Should -BeTrue -Because $out.RemoteStop.Message
            Wait-SleepGone $tag | Should -Be 0

            # Stopped once the command runs on the host. A stop after a fixed second often came
            # before the host had started it (a command takes about two seconds to appear here),
            # and on a busy machine its end then came later than this test looks; the shell's 2 s
            # time-out would race such a wait, so this part uses a shell on the same session
            # whose time-out is far off.
            $patient = New-Core 'Ssh.SshRemoteShell' $session $false ([TimeSpan]::FromSeconds(120)) 8
            $tag = New-SleepTag
            $cancel = [Threading.CancellationTokenSource]::new()
            $stopped = $null
            $running = $patient.RunAsync("sleep 301 $tag", 'input', $cancel.Token)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-SleepCount $tag) -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Get-SleepCount $tag | Should -Be 1
            $cancel.Cancel()
            try { $running.GetAwaiter().GetResult() | Out-Null }
            catch { $stopped = $_.Exception.GetBaseException() }
            $stopped | Should -BeOfType ([OperationCanceledException])
            Wait-SleepGone $tag | Should -Be 0

        }
        finally {
            $shell.Dispose()
        }

        # Standard input still reaches the command through the wrapper, and exit codes come back as
        # they were (a shell with a time-out a loaded machine cannot reach).
        $session = $sessionType::ConnectAsync($target, $credentials, $options, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
        $shell = New-Core 'Ssh.SshRemoteShell' $session $false ([TimeSpan]::FromSeconds(60)) 8
        try {
            $echo = $shell.RunAsync('cat; exit 3', "line on stdin`n", [Threading.CancellationToken]::None).GetAwaiter().GetResult()
            $echo.TimedOut | Should -BeFalse
            $echo.StandardOutput | Should -Be "line on stdin`n"
            $echo.ExitCode | Should -Be 3
            $echo.StandardError | Should -Not -Match 'RemoteOpsPid'
        }
        finally {
            $shell.Dispose()
        }
    }
}
