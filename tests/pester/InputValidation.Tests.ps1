#requires -Version 7.2
# Input that is refused before any host is touched, with a message that names the bad value
# and what is valid. The only traffic is refused connections to a closed loopback port.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force

    # A loopback port nobody listens on: bound, then released.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $script:ClosedPort = $listener.LocalEndpoint.Port
    $listener.Stop()

    $script:Common = @{
        UserName          = 'ops'
        KnownHostsPath    = (Join-Path $TestDrive 'known_hosts')
        AuditLogPath      = (Join-Path $TestDrive 'audit.jsonl')
        ConnectTimeoutSec = 5
    }
}

Describe 'Receive-RoFile local paths' -Tag 'CI' {
    It 'refuses a second target that maps to the same local folder, before contacting it' {
        $destination = Join-Path $TestDrive 'received'
        $results = Receive-RoFile -ComputerName "127.0.0.1:$ClosedPort", "ops@127.0.0.1:$ClosedPort" @Common -Path /etc/hostname `
            -Destination $destination -ErrorAction SilentlyContinue -ErrorVariable failed
        @($results).Count | Should -Be 1 -Because 'only the first target is contacted'
        $collision = @($failed | Where-Object FullyQualifiedErrorId -like 'DownloadPathCollision,*')
        $collision.Count | Should -Be 1
        $collision[0].TargetObject | Should -Be "ops@127.0.0.1:$ClosedPort"
        $collision[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $collision[0].Exception.Message | Should -Match ([regex]::Escape("127.0.0.1+$ClosedPort"))
    }

    It 'refuses a remote path that ends in <_> before contacting any host' -ForEach @('/tmp/..', '/tmp/.', '/tmp/') {
        { Receive-RoFile -ComputerName "127.0.0.1:$ClosedPort" @Common -Path $_ -Destination (Join-Path $TestDrive 'dots') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRemotePath,RemoteOps.Commands.ReceiveRoFileCommand'
        Test-Path (Join-Path $TestDrive 'dots') | Should -BeFalse
    }
}

Describe 'Host names' -Tag 'CI' {
    It 'an invalid host name is reported without an internal parameter name' {
        $r = Invoke-RoSshCommand -ComputerName 'host;rm -rf /' @Common -Command true -ErrorAction SilentlyContinue -ErrorVariable failed
        $r | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidComputerName,RemoteOps.Commands.InvokeRoSshCommandCommand'
        $failed[0].Exception.Message | Should -Match "'host;rm -rf /'"
        $failed[0].Exception.Message | Should -Not -Match '\(Parameter'
    }

    It 'Remove-RoKnownHost tells host:port from a bare IPv6 address' {
        $store = Join-Path $TestDrive 'remove_known_hosts'
        Set-Content $store @(
            '2001:db8::5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz4p5wQ0fJc4tQ4mV0bJ2wZkE2n0V6m0r3y8p2u0n1a'
            '[2001:db8::5]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz4p5wQ0fJc4tQ4mV0bJ2wZkE2n0V6m0r3y8p2u0n1a'
        )
        Remove-RoKnownHost -ComputerName '[2001:db8::5]:2222' -KnownHostsPath $store -AuditLogPath $Common.AuditLogPath -Confirm:$false
        @(Get-Content $store | Where-Object { $_ }) | Should -Be @('2001:db8::5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz4p5wQ0fJc4tQ4mV0bJ2wZkE2n0V6m0r3y8p2u0n1a')
    }
}

Describe 'Limits named before any host is contacted' -Tag 'CI' {
    It 'refuses a command line over the size one SSH request can carry, naming its size and the limit' {
        $long = 'echo ' + ('x' * 70KB)
        $results = $null
        $failure = $null
        try { $results = Invoke-RoSshCommand -ComputerName "127.0.0.1:$ClosedPort" @Common -Command $long -ErrorAction Stop } catch { $failure = $_ }
        $results | Should -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -Be 'InvalidCommand,RemoteOps.Commands.InvokeRoSshCommandCommand'
        $failure.Exception.Message | Should -Match '7\d{4} bytes long with the wrapper that lets it be stopped on the host; at most 64000 bytes'
        $failure.Exception.Message | Should -Not -Match 'Packet'
    }

    It 'refuses a -Destination with a name over 255 bytes, naming the limit' {
        $file = Join-Path $TestDrive 'payload.txt'
        Set-Content $file 'x'
        $failure = $null
        try { Send-RoFile -ComputerName "127.0.0.1:$ClosedPort" @Common -Path $file -Destination ('/tmp/' + ('d' * 256) + '/') -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'InvalidDestination,RemoteOps.Commands.SendRoFileCommand'
        $failure.Exception.Message | Should -Match '256 bytes long; a file or folder name may have at most 255 bytes'
    }

    It 'refuses a Receive-RoFile -Path with a name over 255 bytes' {
        { Receive-RoFile -ComputerName "127.0.0.1:$ClosedPort" @Common -Path ('/tmp/' + ('f' * 300)) -Destination (Join-Path $TestDrive 'long') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRemotePath,RemoteOps.Commands.ReceiveRoFileCommand'
    }
}

Describe 'Add-RoKnownHost with an explicit key (no host contacted)' -Tag 'CI' {
    BeforeAll {
        function New-FakeKey {
            $name = [Text.Encoding]::ASCII.GetBytes('ssh-ed25519')
            $material = [byte[]]::new(36); [Random]::Shared.NextBytes($material)
            [Convert]::ToBase64String([byte[]](0, 0, 0, $name.Length) + $name + [byte[]](0, 0, 0, 32) + $material[0..31])
        }
        $script:Store = Join-Path $TestDrive 'trust_known_hosts'
        $script:Log = Join-Path $TestDrive 'trust-audit.jsonl'
        $script:Trust = @{ ComputerName = 'gw1.example'; Port = 2222; KeyType = 'ssh-ed25519'; KnownHostsPath = $Store; AuditLogPath = $Log; Confirm = $false }
        $script:First = New-FakeKey
        $script:Second = New-FakeKey
    }

    It 'adds a key, and a second run changes nothing' {
        $added = Add-RoKnownHost @Trust -PublicKey $First
        $again = Add-RoKnownHost @Trust -PublicKey $First
        $again.Fingerprint | Should -Be $added.Fingerprint
        @(Get-Content $Store).Count | Should -Be 1
        @(Get-RoAuditLog -Path $Log).Outcome | Should -Be @('Added')
    }

    It 'refuses a different key of the same type without -Force, and replaces it with -Force' {
        Add-RoKnownHost @Trust -PublicKey $Second -ErrorAction SilentlyContinue -ErrorVariable refused | Should -BeNullOrEmpty
        $refused[0].Exception.Message | Should -Match 'A different ssh-ed25519 key is already trusted'
        (Get-Content $Store) | Should -Match ([regex]::Escape($First))
        Add-RoKnownHost @Trust -PublicKey $Second -Force | Should -Not -BeNullOrEmpty
        (Get-Content $Store) | Should -Match ([regex]::Escape($Second))
        (Get-RoAuditLog -Path $Log -Last 1).Outcome | Should -Be 'Replaced'
    }
}
