@{
    RootModule           = 'RemoteOps.dll'
    # Imported first: installs the resolver for RemoteOps.Core and its private dependencies.
    NestedModules        = @('RemoteOps.Loader.dll')
    ModuleVersion        = '0.0.0'
    GUID                 = '3f6b0c52-4a1e-4d5e-9b7a-2f1c8d0e6a41'
    Author               = 'RemoteOps contributors'
    CompanyName          = 'RemoteOps'
    Copyright            = '(c) RemoteOps contributors. MIT License.'
    Description          = 'Roll out and run remote working: SSH commands and file transfer to hundreds of Linux hosts at once with host-key safety, VPN user onboarding on ocserv, Ivanti Connect Secure and FortiGate, and an audit log.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('RemoteOps.Format.ps1xml')
    TypesToProcess       = @('RemoteOps.Types.ps1xml')
    CmdletsToExport      = @()
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('SSH', 'SFTP', 'FanOut', 'RemoteWork', 'Linux', 'Audit', 'VPN', 'ocserv', 'ConnectSecure', 'FortiGate', 'PSEdition_Desktop', 'PSEdition_Core')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
