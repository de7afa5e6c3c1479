#requires -Version 7.2
# Send-RoFile and Receive-RoFile input that is refused before any host is touched. The only
# traffic is refused connections to a closed loopback port.

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
