#requires -Version 7.2
<#
.SYNOPSIS
    Opens a new service on several nftables firewalls with a confirm window, checks it from this
    computer, and keeps the change only when the service answers through every firewall.

.DESCRIPTION
    1. saves each firewall's rules (Export-RoFirewallConfig, a policy file per firewall);
    2. adds one Input rule that accepts TCP -Port on every firewall at once, with a confirm
       window (-ConfirmWithinSec): each firewall rolls the change back by itself unless confirmed;
    3. connects to the port through each firewall from here;
    4. confirms the change on every firewall when all answered, otherwise undoes it everywhere.

    Run it again and the firewalls that already have the rule are reported and left alone:
    nothing is changed or armed.

.EXAMPLE
    ./Open-FirewallService.ps1 -Address fw01, fw02 -UserName ops -KeyFilePath ~/.ssh/id_ed25519 -Port 8443
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $Address,
    [Parameter(Mandatory)] [string] $UserName,
    [Parameter(Mandatory)] [string] $KeyFilePath,
    [Parameter(Mandatory)] [ValidateRange(1, 65535)] [int] $Port,
    [string] $KnownHostsPath,
    [ValidateRange(5, 3600)] [int] $ConfirmWithinSec = 60,
    [string] $BackupFolder = (Join-Path ([System.IO.Path]::GetTempPath()) 'firewall-before'),
    [string] $AuditLogPath,
    [string] $ModulePath = 'RemoteOps'
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$audit = if ($AuditLogPath) { @{ AuditLogPath = $AuditLogPath } } else { @{} }
$known = if ($KnownHostsPath) { @{ KnownHostsPath = $KnownHostsPath } } else { @{} }

# Whether a TCP connection to the port opens within three seconds.
function Test-Service([string] $HostName) {
    $client = [System.Net.Sockets.TcpClient]::new()
    try { return $client.ConnectAsync($HostName, $Port).Wait(3000) } catch { return $false } finally { $client.Dispose() }
}

# A connection's Address is user@host for SSH drivers: the service is checked at the host given.
$hostOf = @{}
$firewalls = foreach ($a in $Address) {
    $fw = Connect-RoAppliance -Driver Nftables -Address $a -UserName $UserName -KeyFilePath $KeyFilePath -NotDefault @known
    $hostOf[$fw.Address] = $a
    $fw
}
try {
    Write-Host "1. Saving the rules of $($firewalls.Count) firewall(s) to $BackupFolder"
    $firewalls | ForEach-Object { Export-RoFirewallConfig -Connection $_ -Path $BackupFolder } | Format-Table Appliance, RuleCount, PolicyPath -AutoSize | Out-Host

    # New-RoFirewallRule refuses a name that is there already: those firewalls are left alone.
    $ruleName = "allow-tcp-$Port"
    $open = @($firewalls | Where-Object { Get-RoFirewallRule -Connection $_ -Name $ruleName })
    $open | ForEach-Object { Write-Host "   $($_.Address) already has $ruleName; left alone" }
    $toChange = @($firewalls | Where-Object { $_ -notin $open })
    if ($toChange.Count -eq 0) {
        Write-Host '   Nothing to change.'
        return
    }

    Write-Host "2. Opening TCP $Port on $($toChange.Count) firewall(s), rolled back after $ConfirmWithinSec s unless confirmed"
    $changes = @($toChange | New-RoFirewallRule -Name $ruleName -Action Accept -Chain Input -Protocol Tcp -Port $Port `
            -Comment 'opened by Open-FirewallService.ps1' -ConfirmWithinSec $ConfirmWithinSec -Confirm:$false @audit -ErrorAction Continue)
    $changes | Format-Table Appliance, Outcome, ChangeState, ChangeId, ConfirmDeadline, RollbackGuarantee -AutoSize | Out-Host
    $pending = @($changes | Where-Object ChangeState -EQ 'Pending')
    if ($pending.Count -eq 0) {
        Write-Host '   Nothing to confirm: every change failed (see the errors above).'
        return $changes
    }

    Write-Host "3. Checking TCP $Port through each firewall"
    $answers = foreach ($fw in $toChange) { [pscustomobject]@{ Appliance = $fw.Address; Open = Test-Service $hostOf[$fw.Address] } }
    $answers | Format-Table -AutoSize | Out-Host

    $byAddress = @{}
    foreach ($fw in $toChange) { $byAddress[$fw.Address] = $fw }
    if (@($answers | Where-Object { -not $_.Open }).Count -eq 0) {
        Write-Host '4. Every firewall answers: confirming'
        $settled = foreach ($c in $pending) { $c | Confirm-RoFirewallChange -Connection $byAddress[$c.Appliance] -Confirm:$false @audit }
    }
    else {
        Write-Host '4. Not every firewall answers: undoing the change everywhere'
        $settled = foreach ($c in $pending) { $c | Undo-RoFirewallChange -Connection $byAddress[$c.Appliance] -Confirm:$false @audit }
    }

    $settled | Format-Table ChangeId, Appliance, State -AutoSize | Out-Host
    $settled
}
finally {
    $firewalls | Disconnect-RoAppliance
}
