#requires -Version 7.2
# The VPN user cmdlets against a real ocserv in a lab namespace: -WhatIf reads each user and names
# the steps it would take, the password file stays byte for byte the same under -WhatIf and on a
# second real run, and the steps applied are read back.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'WhatIfText.psm1') -Force

    $script:LabName = 'rovpnpl'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 1 -Subnet 90
    $script:OcservScript = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/ocserv.sh'
    $output = & bash $OcservScript up --name $LabName --host 1 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ocserv did not come up: $($output -join "`n")" }
    $script:Server = $Lab.hosts[0]
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Vpn = Connect-RoVpnAppliance -Driver Ocserv -Address $Server.address -UserName $Lab.user -KeyFilePath $Lab.keys.ed25519 -KnownHostsPath $Lab.knownHosts -NotDefault
    $script:Secret = 'Ocserv-Plan-S3cret'
    $script:Password = ConvertTo-SecureString $Secret -AsPlainText -Force

    # ann and cy exist in staff; the rows want dee created, ann also in vpn-admins, cy as it is.
    $seed = @(
        [pscustomobject]@{ UserName = 'ann'; Group = 'staff' }
        [pscustomobject]@{ UserName = 'cy'; Group = 'staff' }
    ) | New-RoVpnUser -Connection $Vpn -Password $Password -AuditLogPath $Audit
    if (@($seed | Where-Object Outcome -ne 'Created')) { throw "The lab users could not be created: $($seed.Message)" }
    $script:Rows = @(
        [pscustomobject]@{ UserName = 'dee'; Group = 'staff' }
        [pscustomobject]@{ UserName = 'ann'; Group = 'staff;vpn-admins' }
        [pscustomobject]@{ UserName = 'cy'; Group = 'staff' }
    )
    $script:InChild = @"
`$vpn = Connect-RoVpnAppliance -Driver Ocserv -Address '$($Server.address)' -UserName '$($Lab.user)' -KeyFilePath '$($Lab.keys.ed25519)' -KnownHostsPath '$($Lab.knownHosts)'
`$password = ConvertTo-SecureString '$Secret' -AsPlainText -Force
`$rows = @(
    [pscustomobject]@{ UserName = 'dee'; Group = 'staff' }
    [pscustomobject]@{ UserName = 'ann'; Group = 'staff;vpn-admins' }
    [pscustomobject]@{ UserName = 'cy'; Group = 'staff' }
)
"@

    function Get-PasswordFileHash {
        return (Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command 'sha256sum /etc/ocserv/ocpasswd') -join ''
    }
}

AfterAll {
    if ($script:Vpn) { Disconnect-RoVpnAppliance -Connection $Vpn }
    if ($script:Lab) {
        & bash $OcservScript down --name $LabName 2>&1 | Out-Null
        Stop-TestLab -Name $LabName -Directory $Lab.Directory
    }
}

Describe 'VPN user plans on ocserv' -Tag 'Lab', 'Vpn' {
    It '-WhatIf prints each user''s steps as read (create, set groups, nothing) and leaves the password file as it was' {
        $before = Get-PasswordFileHash
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script "$InChild`n`$rows | New-RoVpnUser -Connection `$vpn -Password `$password -AuditLogPath '$Audit' -WhatIf | Out-Null"
        @($lines | Where-Object { $_ -like 'What if:*' } | Sort-Object) | Should -Be @(
            "What if: Performing the operation ""Create VPN user (groups: staff; enabled)"" on target ""dee@$($Vpn.Address)""."
            "What if: Performing the operation ""No change: VPN user already as wanted"" on target ""cy@$($Vpn.Address)""."
            "What if: Performing the operation ""Set groups staff -> staff, vpn-admins"" on target ""ann@$($Vpn.Address)""."
        )
        ($lines -join "`n") | Should -Not -Match 'S3cret'
        Get-PasswordFileHash | Should -Be $before
        @(Get-RoAuditLog -Path $Audit).Count | Should -Be 2 -Because 'only the two seeded users were recorded'
    }

    It 'Set-RoVpnUser -WhatIf names a disable and a password reset, without the password, and changes nothing' {
        $before = Get-PasswordFileHash
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script "$InChild`nSet-RoVpnUser -Connection `$vpn -UserName cy -Enabled:`$false -Password `$password -AuditLogPath '$Audit' -WhatIf | Out-Null"
        @($lines | Where-Object { $_ -like 'What if:*' }) | Should -Be @(
            "What if: Performing the operation ""Disable VPN user (ends its sessions); Reset password"" on target ""cy@$($Vpn.Address)"".")
        ($lines -join "`n") | Should -Not -Match 'S3cret'
        Get-PasswordFileHash | Should -Be $before
    }

    It 'applies the steps -WhatIf showed and reads them back; the second run leaves the password file as it was' {
        $first = @($Rows | New-RoVpnUser -Connection $Vpn -Password $Password -AuditLogPath $Audit | Sort-Object Row)
        $first.Outcome | Should -Be @('Created', 'Updated', 'NoChange')
        $first[1].Changes | Should -Be @('groups: staff -> staff,vpn-admins')
        (Get-RoVpnUser -Connection $Vpn -UserName dee).Groups | Should -Be @('staff')
        (Get-RoVpnUser -Connection $Vpn -UserName ann).Groups | Should -Be @('staff', 'vpn-admins')
        (Get-RoAuditLog -Path $Audit | Select-Object -Last 2).Detail | Sort-Object | Should -Be @('create', 'groups: staff -> staff,vpn-admins')

        $before = Get-PasswordFileHash
        $second = @($Rows | New-RoVpnUser -Connection $Vpn -Password $Password -AuditLogPath $Audit)
        @($second | Where-Object Outcome -ne 'NoChange') | Should -BeNullOrEmpty
        Get-PasswordFileHash | Should -Be $before
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script "$InChild`n`$rows | New-RoVpnUser -Connection `$vpn -Password `$password -AuditLogPath '$Audit' -WhatIf | Out-Null"
        @($lines | Where-Object { $_ -like 'What if:*' -and $_ -notlike '*"No change: VPN user already as wanted"*' }) | Should -BeNullOrEmpty
    }

    It 'removes a user after -WhatIf named it, and reads back that it is gone' {
        $lines = Invoke-WhatIfScript -Folder $TestDrive -Script "$InChild`nRemove-RoVpnUser -Connection `$vpn -UserName dee -Force -AuditLogPath '$Audit' -WhatIf | Out-Null"
        @($lines | Where-Object { $_ -like 'What if:*' }) | Should -Be @(
            "What if: Performing the operation ""Remove VPN user (enabled; groups: staff) and end its sessions"" on target ""dee@$($Vpn.Address)"".")
        Get-RoVpnUser -Connection $Vpn -UserName dee | Should -Not -BeNullOrEmpty
        (Remove-RoVpnUser -Connection $Vpn -UserName dee -Force -AuditLogPath $Audit).Outcome | Should -Be 'Removed'
        Get-RoVpnUser -Connection $Vpn -UserName dee | Should -BeNullOrEmpty
    }
}
