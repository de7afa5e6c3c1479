#requires -Version 7.2
# The audit trail fails closed: a log that cannot be written stops a changing cmdlet before its
# first change. Get-RoAuditLog reports damage and shows no terminal control sequences. The only
# traffic is refused connections to a closed loopback port.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $script:ClosedPort = $listener.LocalEndpoint.Port
    $listener.Stop()

    $script:Blocker = Join-Path $TestDrive 'blocker'
    Set-Content $Blocker 'a file where a folder should be'
    $script:AFolder = Join-Path $TestDrive 'a-folder'
    New-Item -ItemType Directory $AFolder | Out-Null
    $script:Common = @{
        ComputerName      = "127.0.0.1:$ClosedPort"
        UserName          = 'ops'
        KnownHostsPath    = (Join-Path $TestDrive 'known_hosts')
        ConnectTimeoutSec = 5
    }
}

Describe 'An audit log that cannot be written' -Tag 'CI' {
    It 'stops Invoke-RoSshCommand before any host is contacted when the log <Case>' -ForEach @(
        @{ Case = 'has a file for a folder'; Log = { Join-Path $Blocker 'audit.jsonl' } }
        @{ Case = 'is a folder'; Log = { $AFolder } }
        @{ Case = 'is /dev/full'; Log = { '/dev/full' } }
    ) {
        $log = & $Log
        $results = $null
        { $script:results = Invoke-RoSshCommand @Common -Command true -AuditLogPath $log -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuditLogNotWritable,RemoteOps.Commands.InvokeRoSshCommandCommand'
        $script:results | Should -BeNullOrEmpty -Because 'no host may be worked on when its change could not be audited'
    }

    It 'names the log and says nothing was changed' {
        $log = Join-Path $Blocker 'audit.jsonl'
        $failure = $null
        try { Send-RoFile @Common -Path $Blocker -Destination /tmp/x -AuditLogPath $log -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'AuditLogNotWritable,RemoteOps.Commands.SendRoFileCommand'
        $failure.CategoryInfo.Category | Should -Be 'WriteError'
        $failure.Exception.Message | Should -Match ([regex]::Escape($log))
        $failure.Exception.Message | Should -Match 'Nothing was changed'
    }

    It 'stops Remove-RoKnownHost with the store unchanged' {
        $store = Join-Path $TestDrive 'kept_known_hosts'
        $line = 'gw1.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz4p5wQ0fJc4tQ4mV0bJ2wZkE2n0V6m0r3y8p2u0n1a'
        Set-Content $store $line
        { Remove-RoKnownHost -ComputerName gw1.example -KnownHostsPath $store -AuditLogPath $AFolder -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'AuditLogNotWritable,RemoteOps.Commands.RemoveRoKnownHostCommand'
        Get-Content $store | Should -Be $line
    }

    It 'does not stop a -WhatIf run, which changes nothing' {
        { Invoke-RoSshCommand @Common -Command true -AuditLogPath (Join-Path $Blocker 'audit.jsonl') -WhatIf -ErrorAction Stop } | Should -Not -Throw
    }

    It 'does not stop Receive-RoFile, which changes nothing under Strict' {
        $r = Receive-RoFile @Common -Path /etc/hostname -Destination (Join-Path $TestDrive 'rx') -AuditLogPath $AFolder -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Unreachable'
    }
}

Describe 'Get-RoAuditLog' -Tag 'CI' {
    BeforeAll {
        $script:Log = Join-Path $TestDrive 'read.jsonl'
        $esc = [char]27
        $good = [ordered]@{ time = '2026-01-01T00:00:00Z'; user = 'jo'; target = "gw1$esc[2J"; action = 'Invoke-RoSshCommand'; outcome = 'Succeeded'; detail = "printf '$esc]0;owned$([char]7)'`rfake" }
        Set-Content $Log -Value @(
            ($good | ConvertTo-Json -Compress)
            'not json'
            '{"time":"2026-01-01T00:00:01Z","user":"jo"'
        )
    }

    It 'warns about damaged lines, naming them, instead of skipping them silently' {
        $records = Get-RoAuditLog -Path $Log -WarningVariable warned -WarningAction SilentlyContinue
        @($records).Count | Should -Be 1
        @($warned).Count | Should -Be 1
        $warned[0].Message | Should -Match '2 damaged lines'
        $warned[0].Message | Should -Match 'line 2, 3'
    }

    It 'passes no terminal control sequences through' {
        $record = Get-RoAuditLog -Path $Log -WarningAction SilentlyContinue
        $record.Target | Should -BeExactly 'gw1\u001b[2J'
        $record.Detail | Should -BeExactly "printf '\u001b]0;owned\u0007'\rfake"
        ($record | Format-Table | Out-String) | Should -Not -Match "[\x00-\x08\x0b-\x1f\x7f]"
    }
}
