<#
.SYNOPSIS
    Runbook: creates VPN accounts for the staff listed in a CSV file; safe to run again.
.DESCRIPTION
    Written for Azure Automation (a Hybrid Runbook Worker when the appliance is on premises), and
    runs the same way from a scheduler or a console with pwsh -File. Nothing prompts.

    1. Reads the CSV file (columns UserName, FullName, Group; see staff.sample.csv) and checks it.
    2. Connects to the appliance. The admin credential comes from the Automation credential asset
       -CredentialName when the script runs in Azure Automation, otherwise from -Credential. The
       appliance's certificate is trusted by the pin given in -CertificateThumbprint or
       -PublicKeyPin (Connect Secure), its SSH host key by -HostKeyFingerprint (ocserv).
    3. Pipes the rows to New-RoVpnUser. New accounts get either a random password per user
       (-PasswordMode Generate; each one is stored in the SecretManagement vault -SecretVault as
       "vpn-initial-<user name>") or one shared first-day password (-PasswordMode Shared), which
       Connect Secure makes each user change at the first sign-in. Accounts that already exist
       keep their password.
    4. Writes one summary object (created, updated, unchanged and failed counts, and the failed
       rows) and fails the job (a thrown error: job status Failed in Azure Automation, exit code
       1 from pwsh -File) when any row failed.

    Run it again with the same file and every account made before reports NoChange: nothing is
    sent to the appliance for it and no password is reset. Fix the failed rows and run again to
    create just those.

    Every creation and failure is recorded in the RemoteOps audit log (-AuditLogPath, or
    $env:REMOTEOPS_AUDIT_LOG). Azure sandboxes do not keep files between jobs, so on a Hybrid
    Runbook Worker point it at a lasting folder.
.PARAMETER CsvPath
    The staff list: a CSV file with the columns UserName, FullName and Group. Group holds realms
    (Connect Secure) or groups (ocserv, FortiGate); several can be listed separated by ';'. A
    Password column is refused: plain-text passwords do not belong in a staff list.
.PARAMETER Appliance
    The appliance: https://host[:port] or host (Connect Secure, FortiGate), host or user@host
    (ocserv).
.PARAMETER Driver
    ConnectSecure (default), FortiGate or Ocserv.
.PARAMETER CredentialName
    In Azure Automation: the name of the credential asset holding the REST admin account
    (Connect Secure), the REST API token as its password (FortiGate) or the SSH account (ocserv).
    Default: VpnApplianceAdmin. For ocserv with
    -KeyFilePath and no password, pass an empty string to skip the asset.
.PARAMETER Credential
    The admin (or SSH) credential, for example from Get-Secret; wins over the asset.
.PARAMETER CertificateThumbprint
    Connect Secure, FortiGate: SHA-256 (or SHA-1) thumbprint of the certificate to trust.
.PARAMETER PublicKeyPin
    Connect Secure, FortiGate: pin-sha256:... SPKI pin of the certificate to trust. Without a pin
    the certificate must pass normal validation.
.PARAMETER AdminRealm
    Connect Secure: the admin realm of the REST account. Default: Admin Users.
.PARAMETER AuthServer
    Connect Secure: the local authentication server for the new users. Default: System Local.
.PARAMETER HostKeyFingerprint
    ocserv: SHA256:... fingerprint of the server's SSH host key. Required for ocserv: a sandbox
    has no known_hosts file to trust.
.PARAMETER KeyFilePath
    ocserv: private key file for the SSH account, on the worker.
.PARAMETER PasswordMode
    Generate (default): a random password per new user, stored in -SecretVault.
    Shared: one first-day password for all new users (Connect Secure only, where users must
    change it at the first sign-in; ocserv and FortiGate cannot force that).
.PARAMETER SecretVault
    Generate mode: the SecretManagement vault (for example an Az.KeyVault vault) that receives
    each new user's password as the secret "vpn-initial-<user name>", with characters other than
    letters, digits and '-' in the name turned into '-'.
.PARAMETER InitialPasswordCredentialName
    Shared mode in Azure Automation: the credential asset whose password is the shared first-day
    password. Default: VpnFirstDayPassword.
.PARAMETER InitialPassword
    Shared mode outside Azure Automation: the shared first-day password, as SecureString.
.PARAMETER AuditLogPath
    The RemoteOps audit log; default $env:REMOTEOPS_AUDIT_LOG, else the per-user default.
.PARAMETER ThrottleLimit
    Users worked on at once. Default: 16.
.PARAMETER ModulePath
    Path of RemoteOps.psd1 when the module is not installed where Import-Module finds it.
.EXAMPLE
    # Azure Automation: parameters in the job's start form, credential from the asset.
    CsvPath=C:\Onboarding\starters.csv Appliance=vpn.corp.example
    CertificateThumbprint=98EC577A5BC9C19B4612A76909F0527F0825EAFE8A793736D52F6EC1721CEB4F
    PasswordMode=Generate SecretVault=HelpDeskVault
.EXAMPLE
    # From a PowerShell session, with the secrets taken from SecretManagement:
    $params = @{
        CsvPath         = './staff.sample.csv'
        Appliance       = 'vpn.corp.example'
        Credential      = Get-Secret -Name ics-rest-admin
        PublicKeyPin    = 'pin-sha256:8QILuXiT9D2+msRv9Yk1ETxNS/w+8487YrTFZF+pkcE='
        PasswordMode    = 'Shared'
        InitialPassword = Get-Secret -Name vpn-first-day-password
    }
    ./Onboard-VpnUsersFromCsv.ps1 @params
.EXAMPLE
    # An ocserv gateway, reached over SSH with a key on the Hybrid Runbook Worker:
    ./Onboard-VpnUsersFromCsv.ps1 -Driver Ocserv -Appliance ops@198.51.100.10 `
        -CsvPath C:\Onboarding\starters.csv -KeyFilePath C:\RemoteOps\ops_ed25519 `
        -HostKeyFingerprint 'SHA256:zzgQqdEVIHqtkq2gdVNLsBbTuK1zl6V/Uo7Ui6Q3k2A' `
        -PasswordMode Generate -SecretVault HelpDeskVault
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $CsvPath,
    [Parameter(Mandatory)] [string] $Appliance,
    [ValidateSet('ConnectSecure', 'FortiGate', 'Ocserv')] [string] $Driver = 'ConnectSecure',
    [string] $CredentialName = 'VpnApplianceAdmin',
    [pscredential] $Credential,
    [string] $CertificateThumbprint,
    [string] $PublicKeyPin,
    [string] $AdminRealm = 'Admin Users',
    [string] $AuthServer = 'System Local',
    [string] $HostKeyFingerprint,
    [string] $KeyFilePath,
    [ValidateSet('Generate', 'Shared')] [string] $PasswordMode = 'Generate',
    [string] $SecretVault,
    [string] $InitialPasswordCredentialName = 'VpnFirstDayPassword',
    [securestring] $InitialPassword,
    [string] $AuditLogPath,
    [ValidateRange(1, 1024)] [int] $ThrottleLimit = 16,
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$started = [DateTimeOffset]::UtcNow
$inAutomation = [bool](Get-Command -Name Get-AutomationPSCredential -ErrorAction SilentlyContinue)

if ($ModulePath) { Import-Module $ModulePath } else { Import-Module RemoteOps }

# --- 1. Check everything that can be checked before touching the appliance -------------------

if (-not (Test-Path -LiteralPath $CsvPath -PathType Leaf)) {
    throw "The staff list '$CsvPath' does not exist."
}
$rows = @(Import-Csv -LiteralPath $CsvPath)
if ($rows.Count -eq 0) {
    throw "The staff list '$CsvPath' has no rows."
}
$columns = @($rows[0].PSObject.Properties.Name)
if ($columns -notcontains 'UserName') {
    throw "The staff list '$CsvPath' has no UserName column (columns: $($columns -join ', '))."
}
if ($columns -contains 'Password') {
    throw "The staff list '$CsvPath' has a Password column. Remove it: use -PasswordMode."
}
# Only the columns New-RoVpnUser should bind; any other column (Enabled, Groups, ...) is ignored.
$wanted = @('UserName', 'FullName', 'Group') | Where-Object { $columns -contains $_ }

if (-not $Credential -and $inAutomation -and $CredentialName) {
    $Credential = Get-AutomationPSCredential -Name $CredentialName
}
if (-not $Credential -and ($Driver -ne 'Ocserv' -or -not $KeyFilePath)) {
    throw ('No credential: pass -Credential, or run in Azure Automation with the credential ' +
        "asset '$CredentialName' (ocserv: or give -KeyFilePath).")
}

$changeAtSignIn = $Driver -eq 'ConnectSecure'
$passwordParameters = @{}
if ($PasswordMode -eq 'Generate') {
    if (-not $SecretVault) {
        throw 'PasswordMode Generate needs -SecretVault: the generated passwords must be kept.'
    }
    if (-not (Get-Command -Name Set-Secret -ErrorAction SilentlyContinue)) {
        throw 'PasswordMode Generate needs the SecretManagement module (Set-Secret).'
    }
    $passwordParameters.GeneratePassword = $true
}
else {
    if (-not $changeAtSignIn) {
        throw "$Driver cannot make users change a shared password at first sign-in: use Generate."
    }
    if (-not $InitialPassword) {
        if (-not $inAutomation) {
            throw 'PasswordMode Shared needs -InitialPassword (a SecureString).'
        }
        $asset = Get-AutomationPSCredential -Name $InitialPasswordCredentialName
        if (-not $asset) {
            throw "The Automation credential asset '$InitialPasswordCredentialName' is missing."
        }
        $InitialPassword = $asset.Password
    }
    $passwordParameters.Password = $InitialPassword
}
if ($changeAtSignIn) { $passwordParameters.ChangePasswordAtSignIn = $true }

$connect = @{
    Driver     = $Driver
    Address    = $Appliance
    NotDefault = $true
    TimeoutSec = 60
}
if ($Credential) { $connect.Credential = $Credential }
if ($Driver -ne 'Ocserv') {
    if ($CertificateThumbprint -and $PublicKeyPin) {
        throw 'Give -CertificateThumbprint or -PublicKeyPin, not both.'
    }
    if ($CertificateThumbprint) { $connect.CertificateThumbprint = $CertificateThumbprint }
    if ($PublicKeyPin) { $connect.PublicKeyPin = $PublicKeyPin }
    if ($Driver -eq 'ConnectSecure') {
        $connect.AdminRealm = $AdminRealm
        $connect.AuthServer = $AuthServer
    }
}
else {
    if (-not $HostKeyFingerprint) {
        throw 'ocserv needs -HostKeyFingerprint: the SSH host key must be pinned in a runbook.'
    }
    $connect.HostKeyFingerprint = $HostKeyFingerprint
    if ($KeyFilePath) { $connect.KeyFilePath = $KeyFilePath }
}

$common = @{ ThrottleLimit = $ThrottleLimit; Confirm = $false }
if ($AuditLogPath) { $common.AuditLogPath = $AuditLogPath }

# --- 2. Connect, onboard, store generated passwords ------------------------------------------

$vpn = Connect-RoVpnAppliance @connect
try {
    Write-Verbose "Connected to $($vpn.Driver) $($vpn.Address) ($($vpn.Version))."
    # Row errors go to the error stream (visible in the job) but never stop the other rows.
    $rowErrors = $null
    $results = @($rows | Select-Object -Property $wanted |
            New-RoVpnUser -Connection $vpn @passwordParameters @common -ErrorAction Continue `
                -ErrorVariable rowErrors)

    $stored = 0
    $storeFailures = [System.Collections.Generic.List[object]]::new()
    if ($PasswordMode -eq 'Generate') {
        foreach ($created in @($results | Where-Object { $_.Outcome -eq 'Created' })) {
            $secretName = 'vpn-initial-' + ($created.UserName -replace '[^A-Za-z0-9-]', '-')
            try {
                Set-Secret -Vault $SecretVault -Name $secretName `
                    -SecureStringSecret $created.InitialPassword
                $stored++
            }
            catch {
                Write-Error -ErrorAction Continue -Message (
                    "Row $($created.Row): the account '$($created.UserName)' was created, but " +
                    "its password could not be stored in '$SecretVault': " +
                    "$($_.Exception.Message) Reset it with Set-RoVpnUser -Password.")
                $storeFailures.Add([pscustomobject]@{
                        Row      = $created.Row
                        UserName = $created.UserName
                        Message  = 'Created, but the password was not stored: ' +
                            $_.Exception.Message
                    })
            }
        }
    }
}
finally {
    Disconnect-RoVpnAppliance -Connection $vpn
}

# --- 3. Summary --------------------------------------------------------------------------------

# Rows refused before reaching the appliance (an invalid user or group name, a row PowerShell
# could not bind) write an error and no object; the Vpn* errors belong to Failed objects.
$rejected = $rows.Count - $results.Count
$refusals = @($rowErrors | Where-Object { $_.FullyQualifiedErrorId -notlike 'Vpn*' } |
        ForEach-Object {
            $row = if ($_.Exception.Message -match '^Row (\d+),') { [int]$Matches[1] }
            [pscustomobject]@{ Row = $row; UserName = $null; Message = $_.Exception.Message }
        })
$failedRows = @($results | Where-Object { $_.Outcome -eq 'Failed' } |
        Sort-Object Row | Select-Object Row, UserName, Message) + $refusals + @($storeFailures)

$summary = [pscustomobject]@{
    PSTypeName       = 'RemoteOps.Example.VpnOnboardingSummary'
    Appliance        = $vpn.Address
    Driver           = $Driver
    CsvPath          = $CsvPath
    Rows             = $rows.Count
    Created          = @($results | Where-Object Outcome -eq 'Created').Count
    Updated          = @($results | Where-Object Outcome -eq 'Updated').Count
    Unchanged        = @($results | Where-Object Outcome -eq 'NoChange').Count
    Failed           = @($results | Where-Object Outcome -eq 'Failed').Count + $rejected
    PasswordsStored  = $stored
    FailedRows       = $failedRows
    Started          = $started
    Duration         = [DateTimeOffset]::UtcNow - $started
}
Write-Output $summary

$problems = $summary.Failed + $storeFailures.Count
if ($problems -gt 0) {
    throw ("$problems of $($rows.Count) row(s) of '$CsvPath' need attention " +
        '(see FailedRows and the error stream); the other rows are done. Fix them and run again.')
}
