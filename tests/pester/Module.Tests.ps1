#requires -Version 7.2
# The module as users meet it: imported from the built folder into a fresh session.

BeforeDiscovery {
    $script:ExpectedCmdlets = @(
        'Add-RoKnownHost', 'Get-RoAuditLog', 'Get-RoKnownHost', 'Get-RoSshHostKey',
        'Invoke-RoSshCommand', 'Receive-RoFile', 'Remove-RoKnownHost', 'Send-RoFile',
        'New-RoSshSession', 'Get-RoSshSession', 'Remove-RoSshSession',
        'Compare-RoVpnConfig', 'Connect-RoVpnAppliance', 'Disconnect-RoVpnAppliance', 'Disconnect-RoVpnSession',
        'Export-RoVpnConfig', 'Import-RoVpnConfig', 'Get-RoVpnCapacity', 'Get-RoVpnClusterStatus', 'Get-RoVpnSession', 'Get-RoVpnUser',
        'New-RoVpnUser', 'Remove-RoVpnUser', 'Set-RoVpnUser',
        'Connect-RoAppliance', 'Disconnect-RoAppliance', 'Get-RoApplianceConnection', 'Get-RoApplianceDriver',
        'Get-RoFirewallRule', 'Set-RoFirewallPolicy', 'New-RoFirewallRule', 'Remove-RoFirewallRule',
        'New-RoLaptopImage', 'Export-RoComplianceReport',
        'Get-RoSecurIdUser', 'Enable-RoSecurIdUser', 'Disable-RoSecurIdUser', 'Unlock-RoSecurIdUser', 'New-RoEmergencyAccessCode', 'Test-RoSecurIdCode',
        'Test-RoLaptopCompliance', 'Repair-RoLaptopCompliance',
        'Test-RoRemoteAccess',
        'Get-RoBandwidthPolicy', 'Set-RoBandwidthPolicy',
        'Get-RoFirewallChange', 'Confirm-RoFirewallChange', 'Undo-RoFirewallChange', 'Export-RoFirewallConfig'
    )
}

BeforeAll {
    $script:ModulePath = $env:REMOTEOPS_MODULE_PATH
    Import-Module $ModulePath -Force
    $script:Module = Get-Module RemoteOps
}

Describe 'The RemoteOps module' -Tag 'CI' {
    It 'loads from the built folder with nothing else installed' {
        $Module | Should -Not -BeNullOrEmpty
        $Module.ModuleBase | Should -Be (Split-Path $ModulePath)
        $Module.Version | Should -BeGreaterThan ([version]'0.0.0')
    }

    It 'exports exactly the documented cmdlets' {
        ($Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($ExpectedCmdlets | Sort-Object)
    }

    It '<_> uses an approved verb, the Ro noun prefix and declares its output type' -ForEach $ExpectedCmdlets {
        $command = Get-Command $_ -Module RemoteOps
        (Get-Verb).Verb | Should -Contain $command.Verb
        $command.Noun | Should -BeLike 'Ro*'
        $command.OutputType.Count | Should -BeGreaterThan 0
    }

    It 'writes only the output types listed as the public contract in docs/output-types.md, each with a format view' {
        $documented = Select-String -Path (Join-Path $env:REMOTEOPS_REPO_ROOT 'docs/output-types.md') -Pattern '^\| (RemoteOps\.[A-Za-z.]+) \|' |
            ForEach-Object { $_.Matches[0].Groups[1].Value } | Sort-Object
        $declared = Get-Command -Module RemoteOps -CommandType Cmdlet | ForEach-Object { $_.OutputType.Name } |
            Where-Object { $_ -like 'RemoteOps.*' } | Sort-Object -Unique
        [xml] $format = Get-Content -Raw (Join-Path (Split-Path $ModulePath) 'RemoteOps.Format.ps1xml')
        $viewed = $format.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName | Sort-Object -Unique
        $declared | Should -Be $documented
        $viewed | Should -Be $documented
    }

    It '<_> has an online help page for Get-Help -Online, first in its related links' -ForEach $ExpectedCmdlets {
        $uri = (Get-Command -Name $_).HelpUri
        $uri | Should -Match ('^https://\S+/docs/cmdlets/{0}\.md$' -f [regex]::Escape($_))
        @((Get-Help -Name $_ -Full).relatedLinks.navigationLink)[0].uri | Should -Be $uri
    }

    It 'keeps Core and the third-party assemblies out of the module root' {
        $root = Split-Path $ModulePath
        (Get-ChildItem $root -Filter *.dll).Name | Sort-Object | Should -Be @('RemoteOps.dll', 'RemoteOps.Loader.dll')
        Test-Path (Join-Path $root 'Dependencies/RemoteOps.Core.dll') | Should -BeTrue
        Test-Path (Join-Path $root 'Dependencies/Renci.SshNet.dll') | Should -BeTrue
        Test-Path (Join-Path $root 'Dependencies/Newtonsoft.Json.dll') | Should -BeTrue
    }

    It 'changing cmdlets support -WhatIf and -Confirm' -ForEach @('Invoke-RoSshCommand', 'Send-RoFile', 'Add-RoKnownHost', 'Remove-RoKnownHost', 'Remove-RoSshSession', 'New-RoVpnUser', 'Set-RoVpnUser', 'Remove-RoVpnUser', 'Disconnect-RoVpnSession', 'Export-RoVpnConfig', 'Repair-RoLaptopCompliance') {
        $parameters = (Get-Command $_).Parameters.Keys
        $parameters | Should -Contain 'WhatIf'
        $parameters | Should -Contain 'Confirm'
    }
}

Describe 'Dependency isolation' -Tag 'CI' {
    It 'works beside a different SSH.NET and PowerShell''s own Newtonsoft.Json loaded first' {
        $decoyDir = Join-Path $TestDrive 'decoy'
        New-Item -ItemType Directory $decoyDir | Out-Null
        $script = {
            param($modulePath, $decoyDir)
            $ErrorActionPreference = 'Stop'
            # A different Renci.SshNet, as another module (Posh-SSH ships an old one) would have
            # loaded it. Compiled with Roslyn directly: Add-Type gives assemblies random names.
            Add-Type -TypeDefinition 'public static class RoLoadRoslyn {}'
            $source = '[assembly: System.Reflection.AssemblyVersion("2020.0.1.0")] namespace Renci.SshNet { public class SshClient { public static string Who() { return "decoy"; } } }'
            $framework = Split-Path ([object].Assembly.Location)
            $references = [Microsoft.CodeAnalysis.MetadataReference[]]@('System.Private.CoreLib.dll', 'System.Runtime.dll' | ForEach-Object { [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile((Join-Path $framework $_)) })
            $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('Renci.SshNet',
                [Microsoft.CodeAnalysis.SyntaxTree[]]@([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($source)), $references,
                [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
            $decoyPath = Join-Path $decoyDir 'Renci.SshNet.dll'
            $stream = [IO.File]::Create($decoyPath)
            try { if (-not $compilation.Emit($stream).Success) { throw 'decoy did not compile' } } finally { $stream.Dispose() }
            $decoyType = Add-Type -Path $decoyPath -PassThru | Where-Object Name -eq 'SshClient'
            $null = [Newtonsoft.Json.JsonConvert]::SerializeObject(1)
            Import-Module $modulePath
            $auditPath = Join-Path $decoyDir 'audit.jsonl'
            $knownHosts = Join-Path $decoyDir 'known_hosts'
            # Uses SSH.NET (connect to a closed loopback port) and Newtonsoft.Json (audit line).
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $result = Invoke-RoSshCommand -ComputerName 127.0.0.1 -Port $port -UserName nobody -Command true -KnownHostsPath $knownHosts -AuditLogPath $auditPath -ConnectTimeoutSec 5 -ErrorAction SilentlyContinue
            $ssh = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Renci.SshNet' }
            $json = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Newtonsoft.Json' }
            [pscustomobject]@{
                Status       = "$($result.Status)"
                AuditLines   = @(Get-Content $auditPath).Count
                SshVersions  = @($ssh | ForEach-Object { $_.GetName().Version.ToString() } | Sort-Object)
                SshContexts  = @($ssh | ForEach-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name } | Sort-Object)
                JsonCount    = @($json).Count
                JsonContexts = @($json | ForEach-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name } | Sort-Object)
                Decoy        = $decoyType::Who()
            } | ConvertTo-Json -Compress
        }
        $output = & dotnet pwsh -NoProfile -NonInteractive -Command $script -args $ModulePath, $decoyDir
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $report = ($output | Select-Object -Last 1) | ConvertFrom-Json
        $report.Status | Should -Be 'Unreachable'
        $report.AuditLines | Should -Be 1
        $report.SshVersions | Should -Contain '2020.0.1.0'
        $report.SshVersions.Count | Should -Be 2
        $report.SshContexts | Should -Contain 'RemoteOps'
        $report.JsonCount | Should -Be 2
        $report.JsonContexts | Should -Contain 'RemoteOps'
        $report.Decoy | Should -Be 'decoy'
    }
}
