#requires -Version 7.2
# Laptop compliance end to end: lab hosts made into laptops by lab/laptops.sh (a real LUKS2
# header behind /etc/crypttab, modprobe.d, a NetworkManager profile, nftables in the host's own
# network namespace, apt.conf.d, sshd_config, dconf, packages in the real dpkg database), checked
# and repaired over SSH; every check in both directions, a repair proved by the next check, and a
# fleet of 52 laptops with two unreachable ones.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'rolap'
    $script:Mgmt = '198.18.20.0/24'
    $script:LaptopScript = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/laptops.sh'
    $script:BaselinePath = Join-Path $PSScriptRoot 'laptop-baseline.lab.json'
    $script:FleetSize = 52
    $script:Lab = Start-TestLab -Name $LabName -HostCount $FleetSize -Subnet 20

    function Set-Laptop([string] $Hosts, [string] $Flavour, [switch] $Repo) {
        $arguments = @('plant', '--name', $LabName, '--dir', $Lab.Directory, '--hosts', $Hosts, '--flavour', $Flavour, '--mgmt', $Mgmt)
        if ($Repo) { $arguments += '--repo' }
        $output = & bash $LaptopScript @arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "planting laptops $Hosts failed: $($output -join "`n")" }
    }

    # Host 1 compliant, host 2 not (and repaired below), the rest of the fleet alternating.
    Set-Laptop -Hosts '1,3-50' -Flavour compliant
    Set-Laptop -Hosts '2' -Flavour noncompliant -Repo
    Set-Laptop -Hosts '51-52' -Flavour noncompliant

    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Ssh = @{
        UserName       = $Lab.user
        KeyFilePath    = $Lab.keys.ed25519
        KnownHostsPath = $Lab.knownHosts
        AuditLogPath   = $Audit
    }
    $script:AllChecks = @('DiskEncryption', 'UsbStorage', 'VpnProfile', 'HostFirewall', 'AutomaticSecurityUpdates', 'SshHardening', 'ScreenLock', 'RequiredPackages', 'ForbiddenPackages')
    $script:Secrets = @('RolabVpnSecret-DoNotLeak', 'RolabVpnCookie-DoNotLeak')
}

AfterAll {
    Get-RoSshSession | Remove-RoSshSession
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'Test-RoLaptopCompliance on lab laptops' -Tag 'Lab', 'Laptops' {
    It 'finds a compliant laptop compliant on every check, with evidence' {
        $r = @(Test-RoLaptopCompliance -ComputerName $Lab.Addresses[0] -Baseline $BaselinePath @Ssh)
        $r.Check | Should -Be $AllChecks
        $r | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'RemoteOps.Core.Laptops.LaptopComplianceResult' }
        $r | Where-Object Compliance -ne 'Compliant' | ForEach-Object { "$($_.Check): $($_.Evidence)" } | Should -BeNullOrEmpty
        $r | ForEach-Object { $_.Status | Should -Be 'Succeeded'; $_.CanRepair | Should -BeFalse }
        ($r | Where-Object Check -eq DiskEncryption).Evidence | Should -Match 'root: /dev/mapper/rolab_root -> crypttab rolab_root -> /var/lib/rolab-laptop/root.img: LUKS2 aes-xts-plain64'
        ($r | Where-Object Check -eq DiskEncryption).Evidence | Should -Match 'swap: .*random key'
        ($r | Where-Object Check -eq HostFirewall).Evidence | Should -Match 'policy drop.*SSH from 198.18.20.0/24 accepted'
        ($r | Where-Object Check -eq SshHardening).Evidence | Should -Match 'PasswordAuthentication no.*PermitRootLogin no'
        ($r | Where-Object Check -eq RequiredPackages).Evidence | Should -Match 'rolab-required-agent ii'
    }

    It 'finds a non-compliant laptop non-compliant on every check, and says which it can repair' {
        $r = @(Test-RoLaptopCompliance -ComputerName $Lab.Addresses[1] -Baseline $BaselinePath @Ssh -ErrorVariable failed)
        $failed | Should -BeNullOrEmpty -Because 'a non-compliant laptop is not an error'
        $r.Check | Should -Be $AllChecks
        $r | Where-Object Compliance -ne 'NonCompliant' | ForEach-Object { "$($_.Check): $($_.Compliance) $($_.Evidence)" } | Should -BeNullOrEmpty
        ($r | Where-Object CanRepair).Check | Should -Be ($AllChecks | Where-Object { $_ -ne 'DiskEncryption' })
        $disk = $r | Where-Object Check -eq DiskEncryption
        $disk.Evidence | Should -Match 'root.img has no LUKS header'
        $disk.Remedy | Should -Match 'reimage'
        ($r | Where-Object Check -eq VpnProfile).Evidence | Should -Match 'gateway should be vpn.corp.example'
        ($r | Where-Object Check -eq HostFirewall).Evidence | Should -Match 'no chain hooked on input'
        ($r | Where-Object Check -eq ForbiddenPackages).Evidence | Should -Match 'installed: rolab-forbidden-tool'
        ($r | Where-Object Check -eq RequiredPackages).Evidence | Should -Match 'missing: rolab-required-agent'
    }

    It 'never reads the VPN profile''s secrets, nor puts them anywhere' {
        $r = @(Test-RoLaptopCompliance -ComputerName $Lab.Addresses[0..1] -Baseline $BaselinePath @Ssh)
        $text = ($r | ConvertTo-Json -Depth 4) + ($r | Format-Table | Out-String -Width 400)
        foreach ($secret in $Secrets) { $text | Should -Not -Match $secret }
        # The lab really planted them.
        Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command 'cat "/etc/NetworkManager/system-connections/Corp VPN.nmconnection"' |
            Should -Contain 'password=RolabVpnSecret-DoNotLeak'
    }

    It 'takes a .psd1 baseline and a hashtable alike' {
        $psd1 = Join-Path $TestDrive 'baseline.psd1'
        Set-Content $psd1 "@{`n  SshHardening = @{ NoPasswordLogin = `$true; NoRootLogin = `$true }`n  ForbiddenPackages = @('rolab-forbidden-tool')`n}"
        $fromFile = @(Test-RoLaptopCompliance -ComputerName $Lab.Addresses[0] -Baseline $psd1 @Ssh)
        $fromTable = @(Test-RoLaptopCompliance -ComputerName $Lab.Addresses[0] -Baseline @{ sshhardening = @{ noRootLogin = $true; noPasswordLogin = $false } } @Ssh)
        $fromFile.Check | Should -Be @('SshHardening', 'ForbiddenPackages')
        $fromFile.Compliance | Should -Be @('Compliant', 'Compliant')
        $fromTable.Check | Should -Be 'SshHardening'
        $fromTable.Expected | Should -Be 'PermitRootLogin no'
    }

    It 'works over held sessions' {
        $sessions = New-RoSshSession -ComputerName $Lab.Addresses[0..1] -UserName $Lab.user -KeyFilePath $Lab.keys.ed25519 -KnownHostsPath $Lab.knownHosts
        try {
            $r = @($sessions | Test-RoLaptopCompliance -Baseline $BaselinePath)
            $r.Count | Should -Be 18
            @($r | Where-Object ComputerName -eq $Lab.Addresses[0] | Where-Object Compliance -eq Compliant).Count | Should -Be 9
            @($r | Where-Object ComputerName -eq $Lab.Addresses[1] | Where-Object Compliance -eq NonCompliant).Count | Should -Be 9
        }
        finally {
            $sessions | Remove-RoSshSession
        }
    }
}

Describe 'Bad baselines are refused before any laptop is touched' -Tag 'Lab', 'Laptops' {
    It 'refuses <Case> naming the key and its line' -ForEach @(
        @{ Case = 'shell syntax in a package name'; Json = "{`n  `"forbiddenPackages`": [`"telnetd`",`n    `"x; touch /tmp/pwned`"]`n}"; Message = '*line 3: forbiddenPackages`[2`]: ''x; touch /tmp/pwned'' is not a Debian package name*' }
        @{ Case = 'a bad CIDR'; Json = "{`n  `"hostFirewall`": {`n    `"managementNetwork`": `"198.18.20.0/40`"`n  }`n}"; Message = '*line 3: hostFirewall.managementNetwork: ''198.18.20.0/40'' is not a network in CIDR notation*' }
        @{ Case = 'a bad USB id'; Json = "{`"usbStorage`": {`"allowed`": [{`"vendorId`": `"09z1`", `"productId`": `"1666`"}]}}"; Message = '*line 1: usbStorage.allowed`[1`].vendorId: ''09z1'' is not a USB id*' }
        @{ Case = 'an unknown key'; Json = "{`n`"sshHardening`": {`"noRootLogon`": true}}"; Message = '*line 2: unknown key "noRootLogon" in sshHardening; valid keys are noPasswordLogin, noRootLogin*' }
        @{ Case = 'a wrong type'; Json = "{`"screenLock`": {`"maxIdleSeconds`": `"five minutes`"}}"; Message = '*screenLock.maxIdleSeconds must be a whole number*' }
    ) {
        $path = Join-Path $TestDrive 'bad.json'
        Set-Content $path $Json
        $before = @(Get-Content $Audit -ErrorAction SilentlyContinue).Count
        { Test-RoLaptopCompliance -ComputerName $Lab.Addresses[0] -Baseline $path @Ssh } |
            Should -Throw -ErrorId 'LaptopBaselineInvalid,RemoteOps.Commands.TestRoLaptopComplianceCommand' -ExpectedMessage $Message
        { Repair-RoLaptopCompliance -ComputerName $Lab.Addresses[0] -Baseline $path @Ssh -Confirm:$false } |
            Should -Throw -ErrorId 'LaptopBaselineInvalid,RemoteOps.Commands.RepairRoLaptopComplianceCommand'
        @(Get-Content $Audit -ErrorAction SilentlyContinue).Count | Should -Be $before
        Invoke-LabHost -Name $LabName -Index 1 -Directory $Lab.Directory -Command 'test ! -e /tmp/pwned && echo clean' | Should -Be 'clean'
    }

    It 'names the line of a bad value in a .psd1 baseline' {
        $path = Join-Path $TestDrive 'bad.psd1'
        Set-Content $path "@{`n  RequiredPackages = @(`n    'openssh-server'`n    'bad name'`n  )`n}"
        { Test-RoLaptopCompliance -ComputerName $Lab.Addresses[0] -Baseline $path @Ssh } |
            Should -Throw -ExpectedMessage "*bad.psd1: line 4: requiredPackages``[2``]: 'bad name' is not a Debian package name*"
    }
}

Describe 'Repair-RoLaptopCompliance on a lab laptop' -Tag 'Lab', 'Laptops' {
    It 'lists the steps with -WhatIf and changes nothing' {
        $r = @(Repair-RoLaptopCompliance -ComputerName $Lab.Addresses[1] -Baseline $BaselinePath @Ssh -WhatIf)
        $r | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'RemoteOps.Core.Laptops.LaptopRepairResult' }
        ($r | Where-Object Outcome -eq Planned).Check | Should -Be ($AllChecks | Where-Object { $_ -ne 'DiskEncryption' })
        ($r | Where-Object Check -eq DiskEncryption).Outcome | Should -Be 'NotRepairable'
        ($r | Where-Object Check -eq ForbiddenPackages).Step | Should -Be 'apt-get purge rolab-forbidden-tool'
        @(Test-RoLaptopCompliance -ComputerName $Lab.Addresses[1] -Baseline $BaselinePath @Ssh | Where-Object Compliance -eq NonCompliant).Count | Should -Be 9
        Test-Path $Audit | Should -BeFalse
    }

    It 'repairs every repairable check, as the next check proves, and audits each step' {
        $r = @(Repair-RoLaptopCompliance -ComputerName $Lab.Addresses[1] -Baseline $BaselinePath @Ssh -Confirm:$false -TimeoutSec 120)
        $r | Where-Object { $_.Check -ne 'DiskEncryption' -and $_.Outcome -ne 'Repaired' } | ForEach-Object { "$($_.Check): $($_.Outcome) $($_.Message) $($_.Evidence)" } | Should -BeNullOrEmpty
        ($r | Where-Object Check -eq DiskEncryption).Outcome | Should -Be 'NotRepairable'
        $r | Where-Object Outcome -eq Repaired | ForEach-Object { $_.ComplianceBefore | Should -Be 'NonCompliant'; $_.Compliance | Should -Be 'Compliant' }

        $after = @(Test-RoLaptopCompliance -ComputerName $Lab.Addresses[1] -Baseline $BaselinePath @Ssh)
        ($after | Where-Object Compliance -ne Compliant).Check | Should -Be 'DiskEncryption'

        $lines = @(Get-Content $Audit | ConvertFrom-Json | Where-Object action -eq 'Repair-RoLaptopCompliance')
        $lines.Count | Should -Be 8
        $lines.outcome | Sort-Object -Unique | Should -Be 'Applied'
        $lines.target | Sort-Object -Unique | Should -Be "$($Lab.Addresses[1]):22"
        foreach ($secret in $Secrets) { Get-Content -Raw $Audit | Should -Not -Match $secret }

        # What the repair did, read on the laptop itself.
        $state = Invoke-LabHost -Name $LabName -Index 2 -Directory $Lab.Directory -Command 'nft list table inet remoteops_laptop >/dev/null && echo table; dpkg-query -W -f="\${db:Status-Abbrev}\n" rolab-forbidden-tool 2>/dev/null; grep -c "^# BEGIN RemoteOps" /etc/ssh/sshd_config'
        $state[0] | Should -Be 'table'
        $state[1] | Should -Not -Match '^ii'
        $state[-1] | Should -Be '1'
    }

    It 'reports a step that fails, runs none after it, and still checks the laptop again' {
        # Laptop 51 has no local package repository: apt-get cannot install the required package.
        $before = @(Get-Content $Audit).Count
        $r = @(Repair-RoLaptopCompliance -ComputerName $Lab.Addresses[50] -Baseline $BaselinePath @Ssh -Confirm:$false -TimeoutSec 120 -ErrorAction SilentlyContinue -ErrorVariable failed)
        $required = $r | Where-Object Check -eq RequiredPackages
        $required.Outcome | Should -Be 'Failed'
        $required.Message | Should -Match 'The step failed on 198\.18\.20\.61: exit code 100'
        $required.Compliance | Should -Be 'NonCompliant'
        ($r | Where-Object Check -eq ForbiddenPackages).Outcome | Should -Be 'NotRun'
        ($r | Where-Object Check -eq ForbiddenPackages).Compliance | Should -Be 'NonCompliant'
        ($r | Where-Object Outcome -eq Repaired).Check | Should -Be @('UsbStorage', 'VpnProfile', 'HostFirewall', 'AutomaticSecurityUpdates', 'SshHardening', 'ScreenLock')
        @($failed).Count | Should -Be 2
        $lines = @(Get-Content $Audit | Select-Object -Skip $before | ConvertFrom-Json)
        $lines.Count | Should -Be 7
        @($lines | Where-Object outcome -eq Failed).detail | Should -Be 'RequiredPackages: apt-get install rolab-required-agent'
    }

    It 'changes nothing on a second run' {
        $before = @(Get-Content $Audit).Count
        $r = @(Repair-RoLaptopCompliance -ComputerName $Lab.Addresses[1] -Baseline $BaselinePath @Ssh -Confirm:$false)
        ($r | Where-Object Outcome -ne NoChange).Check | Should -Be 'DiskEncryption'
        @(Get-Content $Audit).Count | Should -Be $before
        Invoke-LabHost -Name $LabName -Index 2 -Directory $Lab.Directory -Command 'grep -c "^# BEGIN RemoteOps" /etc/ssh/sshd_config' | Should -Be '1'
    }
}

Describe 'A fleet of laptops' -Tag 'Lab', 'Laptops' {
    It 'checks 52 laptops with a mix of states, two of them unreachable, without hiding the others' {
        Stop-LabSshd -Name $LabName -Index 51 -Directory $Lab.Directory
        Stop-LabSshd -Name $LabName -Index 52 -Directory $Lab.Directory
        try {
            $r = @($Lab.Addresses | Test-RoLaptopCompliance -Baseline $BaselinePath @Ssh -ThrottleLimit 32 -ErrorAction SilentlyContinue -ErrorVariable failed)
            $r.Count | Should -Be ($FleetSize * 9)
            $byHost = $r | Group-Object ComputerName
            $byHost.Count | Should -Be $FleetSize
            $byHost | ForEach-Object { $_.Count | Should -Be 9 }

            $unreachable = @($r | Where-Object Status -eq Unreachable)
            ($unreachable.ComputerName | Sort-Object -Unique) | Should -Be @($Lab.Addresses[50], $Lab.Addresses[51])
            $unreachable | ForEach-Object { $_.Compliance | Should -Be 'Error'; $_.ErrorRecord | Should -Not -BeNullOrEmpty }
            $failed.Count | Should -Be 2 -Because 'one error per unreachable laptop, not one per check'
            ($failed.TargetObject | Sort-Object) | Should -Be @($Lab.Addresses[50], $Lab.Addresses[51])

            # 1 and 3-50 compliant; 2 repaired but for its disk.
            $compliant = @($byHost | Where-Object { @($_.Group | Where-Object Compliance -ne Compliant).Count -eq 0 })
            $compliant.Count | Should -Be 49
            @($r | Where-Object ComputerName -eq $Lab.Addresses[1] | Where-Object Compliance -ne Compliant).Check | Should -Be 'DiskEncryption'
        }
        finally {
            Start-LabSshd -Name $LabName -Index 51 -Directory $Lab.Directory
            Start-LabSshd -Name $LabName -Index 52 -Directory $Lab.Directory
        }
    }
}
