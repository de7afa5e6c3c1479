#requires -Version 7.2
# Test-RoRemoteAccess end to end against a real ocserv in a lab namespace, with real sign-ins by
# the openconnect client (authenticate mode) from where the command runs, and a real connected
# openconnect session from another lab host for the "too many sessions" case.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'rohd'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 2 -Subnet 30
    $script:OcservScript = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/ocserv.sh'
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Password = 'Alice-Helpdesk-pw-5521'

    # (Re)starts ocserv on host 1 (an empty ocpasswd each time) and creates alice.
    function Start-LabOcserv {
        param([int] $CertificateDays = 30)
        $output = & bash $OcservScript up --name $LabName --host 1 --max-clients 8 --max-same-clients 1 --cert-days $CertificateDays 2>&1
        if ($LASTEXITCODE -ne 0) { throw "ocserv did not come up: $($output -join "`n")" }
        $script:Ocserv = Get-Content -Raw (Join-Path $Lab.Directory 'ocserv.json') | ConvertFrom-Json
        if (-not $script:Vpn) {
            $script:Vpn = Connect-RoAppliance -Driver Ocserv -Address $Lab.hosts[0].address -UserName $Lab.user -KeyFilePath $Lab.keys.ed25519 -KnownHostsPath $Lab.knownHosts
        }
        New-RoVpnUser -Connection $Vpn -UserName alice -Group staff -AuditLogPath $Audit `
            -Password (ConvertTo-SecureString $Password -AsPlainText -Force) | Out-Null
    }

    function Test-Alice {
        param([string] $Secret, [switch] $Detailed)
        $arguments = @{ UserName = 'alice'; Connection = $Vpn; GatewayPublicKeyPin = $Ocserv.serverCertificateSha256Pin; Detailed = $Detailed }
        if ($Secret) { $arguments.Credential = [pscredential]::new('alice', (ConvertTo-SecureString $Secret -AsPlainText -Force)) }
        Test-RoRemoteAccess @arguments
    }

    $script:Vpn = $null
    Start-LabOcserv
}

AfterAll {
    if ($script:Vpn) { Disconnect-RoAppliance -Connection $Vpn }
    if ($script:Lab) {
        & bash $OcservScript down --name $LabName 2>&1 | Out-Null
        Stop-TestLab -Name $LabName -Directory $Lab.Directory
    }
}

Describe 'Test-RoRemoteAccess against a real ocserv' -Tag 'Lab', 'Vpn', 'HelpDesk' {
    It 'signs in for real with the right password and finds no problem' {
        $verdict = Test-Alice -Secret $Password
        $verdict.Cause | Should -Be 'None'
        $verdict.CanSignIn | Should -BeTrue
        $verdict.Summary | Should -Match 'signed in'
        $signIn = $verdict.Checks | Where-Object Check -eq 'SignIn'
        $signIn.Status | Should -Be 'Passed'
        $signIn.Target | Should -Be "$($Lab.hosts[0].address):443"
        $signIn.Evidence | Should -Match 'exit 0'
        ($verdict.Checks | Where-Object Check -eq 'Sessions').Evidence | Should -Match 'limit is 1 per user \(max-same-clients in /etc/ocserv/ocserv.conf\)'
        ($verdict.Checks | Where-Object Check -eq 'Gateway').Evidence | Should -Match 'trusted by public key pin-sha256:.*: yes'
        # ocserv has no realm or role mapping: the access check is listed as not available, never as passed.
        ($verdict.Checks | Where-Object Check -eq 'VpnAccess').Status | Should -Be 'NotAvailable'
    }

    It 'names a wrong password, and the password appears nowhere' {
        $wrong = 'Wrong-Secret-Horse-77'
        $all = Test-Alice -Secret $wrong -Detailed -Verbose 4>&1 2>&1
        $verdict = $all | Where-Object { $_.PSObject.TypeNames[0] -eq 'RemoteOps.Core.Diagnostics.RemoteAccessVerdict' }
        $verdict.Cause | Should -Be 'WrongPassword'
        $verdict.NextStep | Should -Match 'Set-RoVpnUser -UserName alice -ChangePasswordAtSignIn'
        ($verdict.Checks | Where-Object Check -eq 'SignIn').Evidence | Should -Match 'exit 1; .*Login failed'
        $text = ($all | Out-String -Width 300) + ($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] } | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue)
        $text | Should -Not -Match ([regex]::Escape($wrong))
        $text | Should -Not -Match 'webvpn=' -Because 'the session cookie of a sign-in is never shown'
    }

    It 'names a disabled (locked) account even though the sign-in is refused too' {
        Set-RoVpnUser -Connection $Vpn -UserName alice -Enabled:$false -AuditLogPath $Audit | Out-Null
        try {
            $verdict = Test-Alice -Secret $Password
            $verdict.Cause | Should -Be 'AccountDisabled'
            ($verdict.Checks | Where-Object Check -eq 'SignIn').Status | Should -Be 'Failed'
            $verdict.NextStep | Should -Match 'Set-RoVpnUser -UserName alice -Enabled'
        }
        finally { Set-RoVpnUser -Connection $Vpn -UserName alice -Enabled -AuditLogPath $Audit | Out-Null }
    }

    It 'names too many sessions when the user holds a real session at the per-user limit' {
        $Password | & bash $OcservScript client-connect --name $LabName --host 2 --server 1 --user alice 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        try {
            $verdict = Test-Alice
            $verdict.Cause | Should -Be 'TooManySessions'
            ($verdict.Checks | Where-Object Check -eq 'Sessions').Evidence | Should -Match 'alice has 1 session\(s\); the limit is 1 per user'
            $verdict.NextStep | Should -Match 'Get-RoVpnSession -UserName alice \| Disconnect-RoVpnSession'
        }
        finally { & bash $OcservScript client-stop --name $LabName --host 2 2>&1 | Out-Null }
    }

    It 'warns about a gateway certificate that expires within 14 days' {
        Start-LabOcserv -CertificateDays 7
        $verdict = Test-Alice -Secret $Password
        $verdict.Cause | Should -Be 'CertificateExpiring'
        $verdict.CanSignIn | Should -BeTrue
        $gateway = $verdict.Checks | Where-Object Check -eq 'Gateway'
        $gateway.Status | Should -Be 'Warning'
        $gateway.Evidence | Should -Match 'expires in (6\.\d|7\.0) days'
        ($verdict.Checks | Where-Object Check -eq 'SignIn').Status | Should -Be 'Passed'
    }

    It 'names the appliance as down when ocserv stops' {
        & bash $OcservScript down --name $LabName 2>&1 | Out-Null
        $verdict = Test-Alice -Secret $Password
        $verdict.Cause | Should -Be 'ApplianceDown'
        $verdict.Summary | Should -Match "$([regex]::Escape($Lab.hosts[0].address)) does not answer"
        ($verdict.Checks | Where-Object Check -eq 'Gateway').Cause | Should -Be 'GatewayUnreachable'
    }
}
