#requires -Version 7.2
# New-RoLaptopImage and Export-RoComplianceReport as users meet them: the built module, real files,
# and the report opened in Debian's headless Chromium.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force

    # The Core types live in the module's own load context and cannot be named as type literals
    # (docs/output-types.md); they are reached through the cmdlets' load context instead.
    function New-CoreObject([type] $Type, [hashtable] $Property = @{}) {
        $object = [Activator]::CreateInstance($Type)
        foreach ($name in $Property.Keys) { $object.$name = $Property[$name] }
        $object
    }

    $cmdletContext = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command New-RoLaptopImage).ImplementingType.Assembly)
    $baselineType = $cmdletContext.LoadFromAssemblyName([Reflection.AssemblyName]::new('RemoteOps.Core')).GetType('RemoteOps.Core.Laptops.LaptopBaseline', $true)
    function New-TestBaseline {
        $baseline = New-CoreObject $baselineType
        $baseline.DiskEncryption = New-CoreObject $baselineType.GetProperty('DiskEncryption').PropertyType @{ Required = $true }
        $baseline.VpnProfile = New-CoreObject $baselineType.GetProperty('VpnProfile').PropertyType @{ Name = 'Corp VPN'; Gateway = 'vpn.corp.example' }
        $baseline.HostFirewall = New-CoreObject $baselineType.GetProperty('HostFirewall').PropertyType @{ ManagementNetwork = '10.20.0.0/16' }
        $baseline.SshHardening = New-CoreObject $baselineType.GetProperty('SshHardening').PropertyType
        $baseline.AutomaticSecurityUpdates = $true
        $baseline.RequiredPackages.Add('firefox-esr')
        $baseline.ForbiddenPackages.Add('telnet')
        $baseline
    }

    $script:Secret = 'Pester-User-Password-1'
    $script:Passphrase = 'Pester-Disk-Passphrase-2'
    $script:Token = 'pester-enrol-token-3'
    $script:KeyPath = Join-Path $TestDrive 'mgmt.pub'
    Set-Content -Path $KeyPath -Value 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJD0tvudtFD2pGoFKs5iX9TvhONG1fNOLGe/1EcpJMAk ops@example'
    $script:ImageArguments = @{
        Credential       = [pscredential]::new('ops', (ConvertTo-SecureString $Secret -AsPlainText -Force))
        ManagementSshKey = $KeyPath
        EnrollmentUri    = 'https://inventory.corp.example/api/enrol'
        EnrollmentToken  = (ConvertTo-SecureString $Token -AsPlainText -Force)
        HostName         = 'lt-0412'
    }
}

Describe 'New-RoLaptopImage' -Tag 'CI' {
    It 'writes user-data, meta-data and preseed.cfg readable by their owner only, and returns them' {
        $folder = Join-Path $TestDrive 'image'
        $files = New-RoLaptopImage -Path $folder -Baseline (New-TestBaseline) @ImageArguments -WarningVariable warnings -WarningAction SilentlyContinue

        $files.Name | Should -Be @('user-data', 'meta-data', 'preseed.cfg')
        $files | ForEach-Object { $_.UnixFileMode | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite') }
        (Get-Content -Raw (Join-Path $folder 'user-data')) | Should -Match '(?m)^autoinstall:\n  version: 1\n'
        $warnings.Count | Should -Be 1
        "$warnings" | Should -Match 'enrolment token'
    }

    It 'warns that autoinstall holds the disk passphrase in clear when one is given, and keeps it out of the preseed' {
        $folder = Join-Path $TestDrive 'with-passphrase'
        $null = New-RoLaptopImage -Path $folder -Baseline (New-TestBaseline) @ImageArguments `
            -DiskPassphrase (ConvertTo-SecureString $Passphrase -AsPlainText -Force) -WarningVariable warnings -WarningAction SilentlyContinue

        "$warnings" | Should -Match 'disk passphrase in clear'
        "$warnings" | Should -Not -Match ([regex]::Escape($Passphrase))
        Get-Content -Raw (Join-Path $folder 'user-data') | Should -Match ([regex]::Escape($Passphrase))
        Get-Content -Raw (Join-Path $folder 'preseed.cfg') | Should -Not -Match ([regex]::Escape($Passphrase))
        Get-ChildItem $folder | Get-Content -Raw | Should -Not -Match ([regex]::Escape($Secret))
    }

    It 'warns that the installers pick the LUKS version and cipher when the baseline names them' {
        $baseline = New-TestBaseline
        $baseline.DiskEncryption.Cipher = 'aes-xts-plain64'
        $null = New-RoLaptopImage -Path (Join-Path $TestDrive 'cipher') -Baseline $baseline @ImageArguments -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings.Count | Should -Be 2
        "$($warnings[0])" | Should -Match 'LUKS version or cipher'
    }

    It '-WhatIf writes nothing' {
        $folder = Join-Path $TestDrive 'whatif'
        $result = New-RoLaptopImage -Path $folder -Baseline (New-TestBaseline) @ImageArguments -WhatIf -WarningAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        Test-Path $folder | Should -BeFalse
    }

    It 'leaves existing files alone without -Force and replaces them with it' {
        $folder = Join-Path $TestDrive 'existing'
        $null = New-Item -ItemType Directory $folder
        Set-Content (Join-Path $folder 'preseed.cfg') 'mine'

        { New-RoLaptopImage -Path $folder -Baseline (New-TestBaseline) @ImageArguments -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'LaptopImageFileExists,RemoteOps.Commands.NewRoLaptopImageCommand'
        Get-Content (Join-Path $folder 'preseed.cfg') | Should -Be 'mine'
        Test-Path (Join-Path $folder 'user-data') | Should -BeFalse

        $null = New-RoLaptopImage -Path $folder -Baseline (New-TestBaseline) @ImageArguments -Force -WarningAction SilentlyContinue
        Get-Content -Raw (Join-Path $folder 'preseed.cfg') | Should -Match 'd-i partman-auto/method string crypto'
    }

    It 'refuses a hostile package name naming it, before writing anything, as Test-RoLaptopCompliance does' {
        $baseline = New-TestBaseline
        $baseline.RequiredPackages.Add('vim;reboot')
        $folder = Join-Path $TestDrive 'hostile'

        $thrown = { New-RoLaptopImage -Path $folder -Baseline $baseline @ImageArguments } |
            Should -Throw -ErrorId 'LaptopBaselineInvalid,RemoteOps.Commands.NewRoLaptopImageCommand' -PassThru
        $thrown.Exception.Message | Should -Match "'vim;reboot'"
        $thrown.Exception.Message | Should -Not -Match '\(Parameter'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidData'
        Test-Path $folder | Should -BeFalse
    }

    It 'takes the baseline file the fleet is checked against, .psd1 or .json, and a hashtable' {
        $psd1 = Join-Path $TestDrive 'baseline.psd1'
        Set-Content $psd1 "@{`n  VpnProfile = @{ Name = 'Corp VPN'; Gateway = 'vpn.corp.example'; ServerCertificatePin = 'pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' }`n  RequiredPackages = @('firefox-esr')`n}"
        $files = New-RoLaptopImage -Path (Join-Path $TestDrive 'from-psd1') -Baseline $psd1 @ImageArguments -Format Preseed -WarningAction SilentlyContinue
        $files.Name | Should -Be 'preseed.cfg'
        $preseed = Get-Content -Raw $files.FullName
        $preseed | Should -Match 'firefox-esr'
        $preseed | Should -Match 'network-manager-openconnect'

        $json = Join-Path $TestDrive 'baseline.json'
        Set-Content $json '{ "requiredPackages": [ "firefox-esr" ] }'
        $fromJson = $json | New-RoLaptopImage -Path (Join-Path $TestDrive 'from-json') @ImageArguments -Format Preseed -WarningAction SilentlyContinue
        $fromTable = New-RoLaptopImage -Path (Join-Path $TestDrive 'from-table') -Baseline @{ requiredPackages = @('firefox-esr') } @ImageArguments -Format Preseed -WarningAction SilentlyContinue
        Get-Content -Raw $fromJson.FullName | Should -Match 'firefox-esr'
        Get-Content -Raw $fromTable.FullName | Should -Match 'firefox-esr'
        Get-Content -Raw $fromTable.FullName | Should -Not -Match 'network-manager-openconnect' -Because 'this baseline has no VPN profile'

    }

    It 'names the line of a bad value in a baseline file and writes nothing' {
        $path = Join-Path $TestDrive 'bad.psd1'
        Set-Content $path "@{`n  RequiredPackages = @(`n    'openssh-server'`n    'bad name'`n  )`n}"
        $folder = Join-Path $TestDrive 'bad-file'
        { New-RoLaptopImage -Path $folder -Baseline $path @ImageArguments } |
            Should -Throw -ErrorId 'LaptopBaselineInvalid,RemoteOps.Commands.NewRoLaptopImageCommand' -ExpectedMessage "*bad.psd1: line 4: requiredPackages``[2``]: 'bad name' is not a Debian package name*"
        { New-RoLaptopImage -Path $folder -Baseline (Join-Path $TestDrive 'missing.json') @ImageArguments } |
            Should -Throw -ErrorId 'LaptopBaselineUnreadable,RemoteOps.Commands.NewRoLaptopImageCommand'
        Test-Path $folder | Should -BeFalse
    }

    It 'refuses a private key as the management key without showing it' {
        $private = Join-Path $TestDrive 'id_ed25519'
        Set-Content $private "-----BEGIN OPENSSH PRIVATE KEY-----`nc2VjcmV0a2V5bWF0ZXJpYWw=`n-----END OPENSSH PRIVATE KEY-----"
        $arguments = $ImageArguments.Clone()
        $arguments.ManagementSshKey = $private

        $thrown = { New-RoLaptopImage -Path (Join-Path $TestDrive 'pk') -Baseline (New-TestBaseline) @arguments } |
            Should -Throw -ErrorId 'InvalidManagementSshKey,RemoteOps.Commands.NewRoLaptopImageCommand' -PassThru
        $thrown.Exception.Message | Should -Not -Match 'c2VjcmV0'
    }

    It 'refuses a plain-text enrolment token' {
        $arguments = $ImageArguments.Clone()
        $arguments.EnrollmentToken = 'plain'
        { New-RoLaptopImage -Path (Join-Path $TestDrive 'plain') -Baseline (New-TestBaseline) @arguments } | Should -Throw
    }
}

Describe 'Export-RoComplianceReport' -Tag 'CI' {
    BeforeAll {
        $resultType = (Get-Command Export-RoComplianceReport).Parameters['InputObject'].ParameterType.GetElementType()
        function New-Result($Host_, $Check, $Compliance, $Status = 'Succeeded', $Evidence = 'as expected') {
            New-CoreObject $resultType @{
                ComputerName = $Host_; Check = $Check; Title = "$Check check"; Compliance = $Compliance; Status = $Status
                Evidence = $Evidence; Expected = 'as the baseline says'
            }
        }
        $script:Hostile = '<script>window.injected = 1</script><img src="x" onerror="window.injected = 2">'
        $script:Results = @(
            New-Result 'lt-01' 'DiskEncryption' 'Compliant'
            New-Result 'lt-01' 'UsbStorage' 'Compliant'
            New-Result 'lt-01' 'HostFirewall' 'Compliant'
            New-Result 'lt-02' 'DiskEncryption' 'NonCompliant' -Evidence $Hostile
            New-Result 'lt-02' 'UsbStorage' 'Compliant'
            New-Result 'lt-02' 'HostFirewall' 'NotApplicable'
            New-Result 'lt-03' 'DiskEncryption' 'Compliant'
            New-Result 'lt-03' 'UsbStorage' 'Error' -Evidence 'usbguard: permission denied'
            New-Result 'lt-03' 'HostFirewall' 'Compliant'
            New-Result 'lt-04' 'DiskEncryption' 'Compliant' -Status 'Unreachable'
        )
        $script:ReportFolder = Join-Path $TestDrive 'report'
        $script:Files = $Results | Export-RoComplianceReport -Path (Join-Path $ReportFolder 'fleet.html') -Title 'Fleet <check>'
    }

    It 'writes the HTML report and the CSV and returns both' {
        $Files.Name | Should -Be @('fleet.html', 'fleet.csv')
        $csv = Import-Csv (Join-Path $ReportFolder 'fleet.csv')
        $csv.Count | Should -Be 10
        ($csv | Where-Object ComputerName -eq 'lt-04').Compliance | Should -Be 'Error'
        ($csv | Where-Object { $_.ComputerName -eq 'lt-02' -and $_.Check -eq 'DiskEncryption' }).Evidence | Should -Be $Hostile
    }

    It '-WhatIf writes nothing' {
        $path = Join-Path $TestDrive 'whatif/report.html'
        $Results | Export-RoComplianceReport -Path $path -WhatIf | Should -BeNullOrEmpty
        Test-Path (Split-Path $path) | Should -BeFalse
    }

    Context 'opened in headless Chromium' {
        BeforeAll {
            $script:Screenshot = Join-Path $ReportFolder 'fleet.png'
            if ($env:REMOTEOPS_REPORT_SCREENSHOT) { $script:Screenshot = $env:REMOTEOPS_REPORT_SCREENSHOT }
            $driver = Join-Path $PSScriptRoot 'support/ReportInBrowser.mjs'
            $output = & node --experimental-websocket --no-warnings $driver /usr/bin/chromium (Join-Path $ReportFolder 'fleet.html') $Screenshot 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            $script:Page = ($output | Select-Object -Last 1) | ConvertFrom-Json
        }

        It 'loads from file:// with no console error, exception or blocked resource' {
            $Page.problems | Should -BeNullOrEmpty
        }

        It 'shows the fleet numbers of the results' {
            $Page.numbers.hostsTotal | Should -Be '4'
            $Page.numbers.hostsCompliant | Should -Be '1'
            $Page.numbers.hostsNonCompliant | Should -Be '1'
            $Page.numbers.hostsError | Should -Be '2'
            $Page.numbers.checksTotal | Should -Be '3'
            $Page.numbers.detailRows | Should -Be 10
        }

        It 'shows the pass rate of every check, in the table and in the chart' {
            $disk = $Page.numbers.checks | Where-Object { $_[0] -eq 'DiskEncryption' }
            $disk | Should -Be @('DiskEncryption', 'DiskEncryption check', '2', '1', '1', '0', '50 %')
            ($Page.numbers.checks | Where-Object { $_[0] -eq 'HostFirewall' })[6] | Should -Be '100 %'
            ($Page.numbers.chart | Where-Object check -eq 'DiskEncryption').segments | Should -Be @('Compliant=2', 'NonCompliant=1', 'Error=1')
            ($Page.numbers.chart | Where-Object check -eq 'UsbStorage').segments | Should -Be @('Compliant=2', 'Error=1')
        }

        It 'shows hostile evidence as text and runs none of it' {
            $Page.numbers.evidence | Should -Contain $Hostile
            $Page.numbers.scripts | Should -Be 1
            $Page.numbers.images | Should -Be 0
            $Page.numbers.injected | Should -BeFalse
        }

        It 'sorts a table by a click on a column heading, both ways' {
            $Page.sorting.hostsAscending | Should -Be @('lt-01', 'lt-02', 'lt-03', 'lt-04')
            $Page.sorting.hostsDescending | Should -Be @('lt-04', 'lt-03', 'lt-02', 'lt-01')
            $Page.sorting.passRateAscending | Should -Be @('50 %', '66.7 %', '100 %')
        }

        It 'filters the detail rows as one types' {
            $Page.filtering.shown | Should -Be '3'
            $Page.filtering.visible | Should -Be @('lt-02', 'lt-02', 'lt-02')
        }

        It 'takes a screenshot of the page' {
            (Get-Item $Screenshot).Length | Should -BeGreaterThan 10000
        }
    }
}
