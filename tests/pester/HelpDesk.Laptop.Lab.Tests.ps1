#requires -Version 7.2
# Test-RoRemoteAccess with the user's laptop: lab hosts made into laptops by lab/laptops.sh (one
# compliant, one not), mapped to users by a laptop inventory, checked over SSH by the laptop
# compliance code, next to the Connect Secure emulator that holds the users' VPN accounts.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force

    $script:LabName = 'rohdlap'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 2 -Subnet 60
    $laptops = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/laptops.sh'
    foreach ($plant in @(@('1', 'compliant'), @('2', 'noncompliant'))) {
        $output = & bash $laptops plant --name $LabName --dir $Lab.Directory --hosts $plant[0] --flavour $plant[1] --mgmt '198.18.60.0/24' 2>&1
        if ($LASTEXITCODE -ne 0) { throw "planting laptop $($plant[0]) failed: $($output -join "`n")" }
    }

    $script:Ics = Start-ApplianceEmulator -Kind ics
    $admin = [pscredential]::new($Ics.adminUser, (ConvertTo-SecureString $Ics.adminPassword -AsPlainText -Force))
    $script:Connection = Connect-RoAppliance -Driver ConnectSecure -Address $Ics.baseUrl -Credential $admin -PublicKeyPin $Ics.spkiSha256
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    foreach ($user in 'jsmith', 'adoe', 'kdoe', 'nolaptop') {
        New-RoVpnUser -Connection $Connection -UserName $user -Password (ConvertTo-SecureString "$user-Initial-9!" -AsPlainText -Force) -AuditLogPath $Audit | Out-Null
    }

    # kdoe's laptop is listed on a port where no sshd listens: it cannot be reached.
    $script:Inventory = Join-Path $TestDrive 'laptops.csv'
    @(
        [pscustomobject]@{ UserName = 'jsmith'; ComputerName = $Lab.Addresses[0]; Port = '' }
        [pscustomobject]@{ UserName = 'adoe'; ComputerName = $Lab.Addresses[1]; Port = '22' }
        [pscustomobject]@{ UserName = 'kdoe'; ComputerName = $Lab.Addresses[0]; Port = '2222' }
    ) | Export-Csv -Path $Inventory -NoTypeInformation
    # The lab baseline's management network is the laptop lab's; this lab's laptops let SSH in from this subnet.
    $script:Baseline = Join-Path $TestDrive 'laptop-baseline.json'
    (Get-Content -Raw (Join-Path $PSScriptRoot 'laptop-baseline.lab.json')).Replace('198.18.20.0/24', '198.18.60.0/24') | Set-Content -Path $Baseline
    $script:Laptop = @{
        Connection           = $Connection
        LaptopInventory      = $Inventory
        LaptopBaseline       = $Baseline
        LaptopUserName       = $Lab.user
        LaptopKeyFilePath    = $Lab.keys.ed25519
        LaptopKnownHostsPath = $Lab.knownHosts
    }
    $script:Secrets = @('RolabVpnSecret-DoNotLeak', 'RolabVpnCookie-DoNotLeak')
}

AfterAll {
    if ($script:Connection) { Disconnect-RoAppliance -Connection $Connection }
    if ($script:Ics) { Stop-ApplianceEmulator -Emulator $Ics }
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'Test-RoRemoteAccess and the user''s laptop' -Tag 'Lab', 'HelpDesk', 'Laptops' {
    It 'passes a compliant laptop and finds no problem' {
        $verdict = Test-RoRemoteAccess jsmith @Laptop
        $check = $verdict.Checks | Where-Object Check -eq 'LaptopCompliance'
        $check.Status | Should -Be 'Passed'
        $check.Target | Should -Be $Lab.Addresses[0]
        $check.Evidence | Should -Match "$([regex]::Escape($Lab.Addresses[0])) is compliant \(9 checks\)"
        $verdict.Cause | Should -Be 'None'
    }

    It 'names a non-compliant laptop with what fails and the repair, and never shows its VPN secret' {
        $all = @(Test-RoRemoteAccess adoe @Laptop -Detailed)
        $verdict = $all[0]
        $verdict.Cause | Should -Be 'LaptopNonCompliant'
        $verdict.CanSignIn | Should -BeTrue -Because 'a non-compliant laptop is a warning: the account itself works'
        $verdict.Summary | Should -Match 'does not meet the laptop baseline'
        $check = $verdict.Checks | Where-Object Check -eq 'LaptopCompliance'
        $check.Status | Should -Be 'Warning'
        $check.Evidence | Should -Match 'DiskEncryption NonCompliant'
        $check.Evidence | Should -Match 'ForbiddenPackages NonCompliant'
        $verdict.NextStep | Should -Match "Repair-RoLaptopCompliance -ComputerName $([regex]::Escape($Lab.Addresses[1])) -Baseline '$([regex]::Escape($Baseline))' fixes .*UsbStorage"
        $verdict.NextStep | Should -Match 'DiskEncryption on'
        $text = ($all | Out-String -Width 300) + ($all | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue)
        foreach ($secret in $Secrets) { $text | Should -Not -Match $secret }
    }

    It 'says a laptop that cannot be reached could not be checked, and hides no other check' {
        $verdict = Test-RoRemoteAccess kdoe @Laptop
        $check = $verdict.Checks | Where-Object Check -eq 'LaptopCompliance'
        $check.Status | Should -Be 'CouldNotRun'
        $check.Evidence | Should -Match "$([regex]::Escape($Lab.Addresses[0])):2222 could not be checked \(Unreachable\)"
        ($verdict.Checks | Where-Object Check -eq 'VpnAccount').Status | Should -Be 'Passed'
        $verdict.Cause | Should -Be 'CheckNotMade'
    }

    It 'says plainly when the user has no laptop in the inventory' {
        $check = (Test-RoRemoteAccess nolaptop @Laptop).Checks | Where-Object Check -eq 'LaptopCompliance'
        $check.Status | Should -Be 'NotAvailable'
        $check.Evidence | Should -Be "nolaptop has no laptop in the inventory $Inventory; no laptop was checked."
    }

    It 'stops on a bad inventory before anything is sent, naming the file, the line and the value' {
        $bad = Join-Path $TestDrive 'bad.csv'
        Set-Content -Path $bad -Value "UserName,ComputerName`njsmith,$($Lab.Addresses[0])`nadoe,laptop 2;reboot"
        $before = (Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats').requestsTotal
        $arguments = $Laptop.Clone()
        $arguments.LaptopInventory = $bad
        { Test-RoRemoteAccess jsmith @arguments -ErrorAction Stop } | Should -Throw -ErrorId 'LaptopInventoryInvalid,RemoteOps.Commands.TestRoRemoteAccessCommand' -ExpectedMessage "*bad.csv: line 3: ComputerName 'laptop 2;reboot' is not a host name or IP address.*"
        (Invoke-EmulatorControl -Emulator $Ics -Method GET -Path '/_lab/stats').requestsTotal | Should -Be $before
        { Test-RoRemoteAccess jsmith -Connection $Connection -LaptopInventory $Inventory -ErrorAction Stop } |
            Should -Throw -ErrorId 'LaptopInventoryWithoutBaseline,RemoteOps.Commands.TestRoRemoteAccessCommand'
    }
}
