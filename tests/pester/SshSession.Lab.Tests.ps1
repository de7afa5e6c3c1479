#requires -Version 7.2
# Held SSH sessions against real lab hosts: sshd in network namespaces on 198.18.7.0/24
# (lab/lab.sh). Whether a command reused a held connection is read from the host itself:
# $SSH_CONNECTION names the client's source port, which a new connection would change, and
# 'ss' inside the host lists the connections it holds.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'rosess'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 6 -Subnet 7
    $script:Hosts = @($Lab.hosts)
    $script:KnownHosts = Join-Path $TestDrive 'known_hosts'
    Copy-Item $Lab.knownHosts $KnownHosts
    $script:Common = @{
        UserName          = $Lab.user
        KeyFilePath       = $Lab.keys.ed25519
        KnownHostsPath    = $KnownHosts
        AuditLogPath      = (Join-Path $TestDrive 'audit.jsonl')
        ConnectTimeoutSec = 5
    }

    # The client source ports of the SSH connections a lab host holds now.
    function Get-HeldClientPort {
        param([Parameter(Mandatory)] $LabHost)
        $lines = Invoke-LabHost -Name $LabName -Index $LabHost.index -Directory $Lab.Directory -Command 'ss -Htn state established "( sport = :22 )"'
        @($lines | Where-Object { $_ -match '\s198\.18\.7\.1:(\d+)\s*$' } | ForEach-Object { [int]$Matches[1] })
    }

    function Get-SourcePort {
        param([Parameter(Mandatory)] $Result)
        if ($Result.Output -match '^198\.18\.7\.1 (\d+) ') { return [int]$Matches[1] }
        throw "No SSH_CONNECTION in output '$($Result.Output)' ($($Result.Status): $($Result.Message))"
    }

    # Waits (bounded) until a condition on the lab holds; the far end notices a closed
    # connection a moment after the client closed it.
    function Wait-Until {
        param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $TimeoutSec = 10)
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { return $false }
            Start-Sleep -Milliseconds 200
        }
        return $true
    }
}

AfterAll {
    Get-RoSshSession | Remove-RoSshSession -Confirm:$false
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'New-RoSshSession' -Tag 'Lab' {
    BeforeAll {
        $script:Down = $Hosts[5]
        Stop-LabSshd -Name $LabName -Index $Down.index -Directory $Lab.Directory
        $script:OpenErrors = $null
        $names = @(($Hosts[0..2] | ForEach-Object address)) + $Down.address
        $script:Opened = @(New-RoSshSession -ComputerName $names @Common -Name main -ThrottleLimit 8 -ErrorVariable OpenErrors -ErrorAction SilentlyContinue)
    }

    AfterAll {
        Start-LabSshd -Name $LabName -Index $Down.index -Directory $Lab.Directory
    }

    It 'opens one session per reachable host, in parallel, and lists them in this runspace' {
        $Opened.Count | Should -Be 3
        ($Opened.ComputerName | Sort-Object) | Should -Be (($Hosts[0..2] | ForEach-Object address) | Sort-Object)
        $Opened.State | Should -Be @('Opened', 'Opened', 'Opened')
        $Opened.UserName | Should -Be @($Lab.user, $Lab.user, $Lab.user)
        (Get-RoSshSession -Name main).Id | Should -Be ($Opened.Id | Sort-Object)
        foreach ($s in $Opened) { Get-HeldClientPort $Hosts.Where({ $_.address -eq $s.ComputerName })[0] | Should -HaveCount 1 }
    }

    It 'reports the unreachable host with a per-host error and opens no session for it' {
        $OpenErrors.Count | Should -Be 1
        $OpenErrors[0].FullyQualifiedErrorId | Should -Be 'HostUnreachable,RemoteOps.Commands.NewRoSshSessionCommand'
        $OpenErrors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $OpenErrors[0].TargetObject | Should -Be $Down.address
        Get-RoSshSession -ComputerName $Down.address | Should -BeNullOrEmpty
    }

    It 'refuses a host whose key is unknown, as Invoke-RoSshCommand does' {
        $empty = Join-Path $TestDrive 'empty_known_hosts'
        Set-Content $empty ''
        $parameters = $Common.Clone(); $parameters.KnownHostsPath = $empty
        $s = New-RoSshSession -ComputerName $Hosts[0].address @parameters -ErrorVariable refused -ErrorAction SilentlyContinue
        $s | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'HostKeyUnknown,*'
    }

    It 'filters with Get-RoSshSession by -ComputerName, -Id and -Name' {
        (Get-RoSshSession -ComputerName $Hosts[1].address).ComputerName | Should -Be $Hosts[1].address
        (Get-RoSshSession -ComputerName '198.18.7.1?').Count | Should -Be 3
        (Get-RoSshSession -Id $Opened[0].Id).ComputerName | Should -Be $Opened[0].ComputerName
        Get-RoSshSession -Name 'nothing-*' | Should -BeNullOrEmpty
    }
}

Describe 'Work over held sessions' -Tag 'Lab' {
    BeforeAll {
        $script:Main = @(Get-RoSshSession -Name main)
        $script:Probe = 'echo "$SSH_CONNECTION"'
    }

    It 'runs a command over -Session and over piped sessions without a new connection' {
        $first = @(Invoke-RoSshCommand -Session $Main -Command $Probe)
        $second = @($Main | Invoke-RoSshCommand -Command $Probe)
        $first.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        $second.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        foreach ($r in $first) {
            $again = $second.Where({ $_.ComputerName -eq $r.ComputerName })[0]
            Get-SourcePort $again | Should -Be (Get-SourcePort $r) -Because 'the same held connection carries both commands'
            $again.Reconnected | Should -BeFalse
            Get-HeldClientPort $Hosts.Where({ $_.address -eq $r.ComputerName })[0] | Should -Be @(Get-SourcePort $r)
        }
    }

    It 'uses a new connection per call with -ComputerName (the path the sessions save)' {
        $a = Invoke-RoSshCommand -ComputerName $Hosts[0].address @Common -Command $Probe
        $b = Invoke-RoSshCommand -ComputerName $Hosts[0].address @Common -Command $Probe
        Get-SourcePort $a | Should -Not -Be (Get-SourcePort $b)
    }

    It 'runs 15 commands sent at once to one session in turn, past the server''s 10 channels per connection' {
        $one = $Main[0]
        $many = @(Invoke-RoSshCommand -Session (@($one) * 15) -Command 'sleep 0.2; echo done' -ThrottleLimit 15)
        $many.Count | Should -Be 15
        $many.Status | Sort-Object -Unique | Should -Be 'Succeeded'
        ($many.Output | Sort-Object -Unique) | Should -Be "done`n"
    }

    It 'sends and receives files over -Session' {
        $local = Join-Path $TestDrive 'profile.conf'
        Set-Content $local "remote-work profile $(New-Guid)"
        $sent = @(Send-RoFile -Session $Main -Path $local -Destination /tmp/ -Confirm:$false)
        $sent.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        $received = @($Main | Receive-RoFile -Path /tmp/profile.conf -Destination (Join-Path $TestDrive 'back'))
        $received.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        ($received.Sha256 | Sort-Object -Unique) | Should -Be ($sent[0].Sha256)
        (Get-FileHash $received[0].Destination -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $sent[0].Sha256
    }

    It 'refuses connection parameters together with -Session' {
        { Invoke-RoSshCommand -Session $Main -UserName root -Command true -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,RemoteOps.Commands.InvokeRoSshCommandCommand'
    }
}

Describe 'A held session whose far end dropped it' -Tag 'Lab' {
    It 'reconnects once after sshd was restarted, and says so' {
        $h = $Hosts[3]
        $s = New-RoSshSession -ComputerName $h.address @Common
        $before = Invoke-RoSshCommand -Session $s -Command 'echo "$SSH_CONNECTION"'
        Stop-LabSshd -Name $LabName -Index $h.index -Directory $Lab.Directory
        Start-LabSshd -Name $LabName -Index $h.index -Directory $Lab.Directory
        Wait-Until { @(Get-HeldClientPort $h).Count -eq 0 } | Should -BeTrue

        $after = Invoke-RoSshCommand -Session $s -Command 'echo "$SSH_CONNECTION"' -WarningVariable warned
        $after.Status | Should -Be 'Succeeded' -Because $after.Message
        $after.Reconnected | Should -BeTrue
        Get-SourcePort $after | Should -Not -Be (Get-SourcePort $before)
        "$warned" | Should -Match 'reconnected'
        $s.State | Should -Be 'Opened'

        $next = Invoke-RoSshCommand -Session $s -Command 'echo "$SSH_CONNECTION"'
        $next.Reconnected | Should -BeFalse
        Get-SourcePort $next | Should -Be (Get-SourcePort $after)
    }

    It 'refuses a host key that changed while reconnecting, reports it and runs nothing' {
        $h = $Hosts[4]
        $s = New-RoSshSession -ComputerName $h.address @Common
        Invoke-LabHost -Name $LabName -Index $h.index -Directory $Lab.Directory -Command 'rm -f /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub && ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key' | Out-Null
        Stop-LabSshd -Name $LabName -Index $h.index -Directory $Lab.Directory
        Start-LabSshd -Name $LabName -Index $h.index -Directory $Lab.Directory
        Wait-Until { @(Get-HeldClientPort $h).Count -eq 0 } | Should -BeTrue

        $r = Invoke-RoSshCommand -Session $s -Command 'touch /tmp/ran-after-key-change' -ErrorVariable refused -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'HostKeyMismatch'
        $r.Reconnected | Should -BeFalse
        $r.Message | Should -Match 'could not be reconnected'
        $r.Message | Should -Match ([regex]::Escape($h.fingerprint))
        $r.Remedy | Should -Match 'Remove-RoSshSession'
        $refused[0].FullyQualifiedErrorId | Should -Be 'HostKeyMismatch,RemoteOps.Commands.InvokeRoSshCommandCommand'
        $refused[0].TargetObject | Should -Be $h.address
        $s.State | Should -Be 'Broken'
        (Get-RoSshSession -Id $s.Id).State | Should -Be 'Broken'

        $again = Invoke-RoSshCommand -Session $s -Command 'touch /tmp/ran-after-key-change' -ErrorAction SilentlyContinue
        $again.Status | Should -Be 'HostKeyMismatch'
        $again.Message | Should -Match 'is broken'
        Invoke-LabHost -Name $LabName -Index $h.index -Directory $Lab.Directory -Command 'test -e /tmp/ran-after-key-change && echo ran || echo not-run' | Should -Be 'not-run'
        $s | Remove-RoSshSession
    }
}

Describe 'Closing held sessions' -Tag 'Lab' {
    It 'Remove-RoSshSession closes the connection, takes the session off the list, and later work fails clearly' {
        $h = $Hosts[1]
        $before = @(Get-HeldClientPort $h).Count
        $s = New-RoSshSession -ComputerName $h.address @Common -Name closing
        @(Get-HeldClientPort $h).Count | Should -Be ($before + 1)
        Remove-RoSshSession -Id $s.Id
        $s.State | Should -Be 'Closed'
        Get-RoSshSession -Name closing | Should -BeNullOrEmpty
        Wait-Until { @(Get-HeldClientPort $h).Count -eq $before } | Should -BeTrue
        $r = Invoke-RoSshCommand -Session $s -Command true -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Failed'
        $r.Remedy | Should -Match 'New-RoSshSession'
    }

    It 'Remove-RoSshSession -ComputerName closes that host''s sessions only' {
        $h = $Hosts[2]
        New-RoSshSession -ComputerName $h.address @Common -Name extra | Out-Null
        Remove-RoSshSession -ComputerName $h.address
        Get-RoSshSession -ComputerName $h.address | Should -BeNullOrEmpty
        (Get-RoSshSession -Name main).Count | Should -Be 2
    }

    It 'Remove-RoSshSession -Name closes the sessions of that name only, wildcards allowed' {
        $s = New-RoSshSession -ComputerName $Hosts[0].address, $Hosts[1].address @Common -Name 'wave-1'
        Remove-RoSshSession -Name 'WAVE-*' -WhatIf
        @(Get-RoSshSession -Name 'wave-1').Count | Should -Be 2
        Remove-RoSshSession -Name 'WAVE-*'
        Get-RoSshSession -Name 'wave-1' | Should -BeNullOrEmpty
        @($s | Where-Object State -ne 'Closed').Count | Should -Be 0
        (Get-RoSshSession -Name main).Count | Should -Be 2
    }

    It 'keeps the sessions of two runspaces apart and closes a runspace''s sessions when it ends' {
        $h = $Hosts[0]
        $portsBefore = @(Get-HeldClientPort $h)
        $mine = @(Get-RoSshSession).Count
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript({
                param($modulePath, $address, $common)
                Import-Module $modulePath
                $s = New-RoSshSession -ComputerName $address @common
                [pscustomobject]@{ Listed = @(Get-RoSshSession).Count; Id = $s.Id }
            }).AddArgument($env:REMOTEOPS_MODULE_PATH).AddArgument($h.address).AddArgument($Common)
            $seen = $other.Invoke()
            $other.Streams.Error | Should -BeNullOrEmpty
            $seen.Listed | Should -Be 1
            $seen.Id | Should -Be 1
            @(Get-RoSshSession).Count | Should -Be $mine
            @(Get-HeldClientPort $h).Count | Should -Be ($portsBefore.Count + 1)
        }
        finally {
            $other.Runspace.Dispose()
            $other.Dispose()
        }
        Wait-Until { @(Get-HeldClientPort $h).Count -eq $portsBefore.Count } | Should -BeTrue
    }

    It 'closes a runspace''s sessions when the module is removed there' {
        $h = $Hosts[0]
        $portsBefore = @(Get-HeldClientPort $h).Count
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript({
                param($modulePath, $address, $common)
                Import-Module $modulePath
                New-RoSshSession -ComputerName $address @common | Out-Null
            }).AddArgument($env:REMOTEOPS_MODULE_PATH).AddArgument($h.address).AddArgument($Common)
            $other.Invoke() | Out-Null
            @(Get-HeldClientPort $h).Count | Should -Be ($portsBefore + 1)
            $other.Commands.Clear()
            $null = $other.AddScript({ Remove-Module RemoteOps })
            $other.Invoke() | Out-Null
            Wait-Until { @(Get-HeldClientPort $h).Count -eq $portsBefore } | Should -BeTrue
        }
        finally {
            $other.Runspace.Dispose()
            $other.Dispose()
        }
    }
}

Describe 'A stopped New-RoSshSession' -Tag 'Lab' {
    It 'closes the sessions it opened but could not write before the stop' {
        # Host 5 (index 4) now presents a key the known-hosts file does not hold (see above).
        $Usable = @($Hosts[0..3])
        $targets = @($Usable | ForEach-Object address)
        $before = @{}
        foreach ($h in $Usable) { $before[$h.address] = @(Get-HeldClientPort $h).Count }
        $other = [powershell]::Create()
        try {
            # The first session written blocks the pipeline downstream, so the other hosts' sessions
            # open meanwhile and wait, unwritten, when the run is stopped.
            $null = $other.AddScript({
                param($modulePath, $targets, $common)
                Import-Module $modulePath
                New-RoSshSession -ComputerName $targets @common -ThrottleLimit 4 | ForEach-Object { Start-Sleep -Seconds 30 }
            }).AddArgument($env:REMOTEOPS_MODULE_PATH).AddArgument($targets).AddArgument($Common)
            $null = $other.BeginInvoke()
            $opened = Wait-Until { ($Usable | Where-Object { @(Get-HeldClientPort $_).Count -gt $before[$_.address] }).Count -eq 4 } -TimeoutSec 20
            $opened | Should -BeTrue -Because 'all four sessions open before the stop'
            $other.Stop()
            $other.Commands.Clear()
            $listed = @($other.AddScript({ @(Get-RoSshSession).Count }).Invoke())[0]
            $listed | Should -Be 1 -Because 'only the session written before the stop is listed'
            $extra = { ($Usable | ForEach-Object { @(Get-HeldClientPort $_).Count - $before[$_.address] } | Measure-Object -Sum).Sum }
            Wait-Until { (& $extra) -eq 1 } | Should -BeTrue -Because 'the three unwritten sessions are closed, the listed one stays open'
        }
        finally {
            $other.Runspace.Dispose()
            $other.Dispose()
        }
    }
}

Describe 'Held sessions keep secrets' -Tag 'Lab' {
    It 'shows host, port, user, state, Id, name and opening time, and never the password' {
        $password = $Lab.password
        $credential = [pscredential]::new($Lab.user, $Lab.SecurePassword)
        $parameters = $Common.Clone(); $parameters.Remove('KeyFilePath')
        $s = New-RoSshSession -ComputerName $Hosts[2].address @parameters -Credential $credential -Name secret-check
        $s.State | Should -Be 'Opened'
        (Invoke-RoSshCommand -Session $s -Command 'echo ok').Output | Should -Be "ok`n"

        $table = $s | Format-Table | Out-String
        $table | Should -Match 'secret-check'
        $table | Should -Match ([regex]::Escape($Hosts[2].address))
        $table | Should -Match 'Opened'
        foreach ($text in @($s.ToString(), $table, ($s | Format-List * | Out-String), ($s | ConvertTo-Json -Depth 4), ($s | Out-String))) {
            $text | Should -Not -Match ([regex]::Escape($password))
        }
        ($s | Get-Member -MemberType Property).Name | Sort-Object |
            Should -Be @('ComputerName', 'Id', 'Name', 'OpenedAt', 'Port', 'State', 'Target', 'UserName')
        $s | Remove-RoSshSession
    }
}
