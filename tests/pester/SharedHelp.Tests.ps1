#requires -Version 7.2
<#
    RemoteOps's own help, beyond what Help.Tests.ps1 checks of any module: the parameters that mean
    the same on every cmdlet that connects over SSH read the same, as written once in
    docs/cmdlets/_shared/Parameters.md.
#>
Describe 'Parameters that mean the same on every cmdlet' -Tag 'CI' {
    BeforeAll {
        $module = Import-Module -Name $env:REMOTEOPS_MODULE_PATH -PassThru -ErrorAction Stop
        $script:ModuleName = $module.Name
        function Get-ParameterText([string] $Command, [string] $Parameter) {
            ((Get-Help $Command -Parameter $Parameter).description | ForEach-Object Text) -join "`n"
        }
    }

    # Written once (docs/cmdlets/_shared); a page may add its own lines, never reword these. The
    # known-host cmdlets are left out: their -KnownHostsPath names the file they read or change.
    It '-<Parameter> carries the text Invoke-RoSshCommand gives it on every cmdlet that connects over SSH' -ForEach @(
        @{ Parameter = 'JumpHost' }
        @{ Parameter = 'JumpCredential' }
        @{ Parameter = 'KeyPassphrase' }
        @{ Parameter = 'KnownHostsPath' }
        @{ Parameter = 'HostKeyPolicy' }
    ) {
        $reference = Get-ParameterText 'Invoke-RoSshCommand' $Parameter
        $reference.Length | Should -BeGreaterThan 80
        $others = @(Get-Command -Module $ModuleName -CommandType Cmdlet | Where-Object { $_.Parameters.ContainsKey($Parameter) -and $_.Parameters.ContainsKey('JumpHost') -and $_.Name -ne 'Invoke-RoSshCommand' })
        $others.Count | Should -BeGreaterThan 2
        foreach ($command in $others) {
            (Get-ParameterText $command.Name $Parameter).Contains($reference) | Should -BeTrue -Because "$($command.Name) -$Parameter should include the shared description"
        }
    }
}
