#requires -Version 7.2
# Secrets in the forms they take on the way to a host: a password that is also an argument is
# shell-quoted there, and must be masked in that form in every stream and in the audit log.
# The only traffic is one refused connection to a closed loopback port.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force

    # A loopback port nobody listens on: bound, then released.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $script:ClosedPort = $listener.LocalEndpoint.Port
    $listener.Stop()

    $script:Password = "it's-S3cret"
    $script:Credential = [pscredential]::new('root', (ConvertTo-SecureString $Password -AsPlainText -Force))
    $script:Quoted = "'root:it'\''s-S3cret'"
}

Describe 'A -Credential password that is also in -ArgumentList' -Tag 'CI' {
    BeforeAll {
        $script:Audit = Join-Path $TestDrive 'audit.jsonl'
        $script:Parameters = @{
            ComputerName      = '127.0.0.1'
            Port              = $ClosedPort
            Credential        = $Credential
            KnownHostsPath    = (Join-Path $TestDrive 'known_hosts')
            AuditLogPath      = $Audit
            ConnectTimeoutSec = 5
            Command           = 'chpasswd <<<'
            ArgumentList      = @("root:$Password")
        }
        $script:VerboseText = Invoke-RoSshCommand @Parameters -Verbose -ErrorAction SilentlyContinue -ErrorVariable failed 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        $script:Failed = $failed
    }

    It 'is masked in the -Verbose text, whole' {
        $VerboseText | Should -Not -BeNullOrEmpty
        ($VerboseText -join "`n") | Should -Not -Match 'S3cret'
        ($VerboseText -join "`n") | Should -Match ([regex]::Escape("chpasswd <<< 'root:***'"))
    }

    It 'is masked in the errors' {
        $Failed | Should -Not -BeNullOrEmpty
        ($Failed | Format-List * -Force | Out-String) | Should -Not -Match 'S3cret'
    }

    It 'is masked in the audit log and in Get-RoAuditLog' {
        Get-Content -Raw $Audit | Should -Not -Match 'S3cret'
        $record = Get-RoAuditLog -Path $Audit | Select-Object -Last 1
        $record.Detail | Should -Be "chpasswd <<< 'root:***'"
    }

    It 'is masked in the -WhatIf text' {
        $script = @"
Import-Module '$($env:REMOTEOPS_MODULE_PATH)'
`$credential = [pscredential]::new('root', (ConvertTo-SecureString "$Password" -AsPlainText -Force))
Invoke-RoSshCommand -ComputerName 127.0.0.1 -Port $ClosedPort -Credential `$credential -Command 'chpasswd <<<' -ArgumentList "root:$Password" -AuditLogPath '$Audit' -WhatIf
"@
        $file = Join-Path $TestDrive 'whatif.ps1'
        Set-Content -LiteralPath $file -Value $script -Encoding utf8NoBOM
        $exe = [Environment]::ProcessPath
        $prefix = @()
        if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $prefix = @(Join-Path $PSHOME 'pwsh.dll') }
        $output = (& $exe @prefix -NoProfile -NonInteractive -File $file 2>&1 | Out-String)
        $output | Should -Match 'What if'
        $output | Should -Not -Match 'S3cret'
        $output | Should -Match ([regex]::Escape("'root:***'"))
    }
}

Describe 'A password that is also an ordinary word' -Tag 'CI' {
    It 'is masked where it stands alone, not inside host names and commands' {
        $audit = Join-Path $TestDrive 'word-audit.jsonl'
        $credential = [pscredential]::new('ops', (ConvertTo-SecureString 'echo' -AsPlainText -Force))
        Invoke-RoSshCommand -ComputerName 127.0.0.1 -Port $ClosedPort -Credential $credential -KnownHostsPath (Join-Path $TestDrive 'kh2') `
            -AuditLogPath $audit -ConnectTimeoutSec 5 -Command 'echoes --help; echo' -ErrorAction SilentlyContinue | Out-Null
        (Get-RoAuditLog -Path $audit | Select-Object -Last 1).Detail | Should -Be 'echoes --help; ***'
    }
}
