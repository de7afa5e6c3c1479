#requires -Version 7.2
# The example runbook examples/Open-FirewallService.ps1, run as a sysadmin would run it, against
# two real nftables firewalls managed over SSH (their own lab, 198.18.70.0/24): the new service
# is opened on both with a confirm window and kept when it answers through both; a second run
# changes nothing; when one firewall does not answer, the change is undone on both.

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'LabFixture.psm1') -Force

    $script:LabName = 'roofs'
    $script:Lab = Start-TestLab -Name $LabName -HostCount 2 -Subnet 70
    $script:Example = Join-Path $env:REMOTEOPS_REPO_ROOT 'examples/Open-FirewallService.ps1'
    $script:Audit = Join-Path $TestDrive 'audit.jsonl'
    $script:Window = 8
    $script:Run = @{
        ModulePath       = $env:REMOTEOPS_MODULE_PATH
        Address          = $Lab.Addresses
        UserName         = $Lab.user
        KeyFilePath      = $Lab.keys.ed25519
        KnownHostsPath   = $Lab.knownHosts
        ConfirmWithinSec = $Window
        BackupFolder     = Join-Path $TestDrive 'before'
        AuditLogPath     = $Audit
    }

    # The service: a TCP listener on each firewall host (accept and close), as the new service would be.
    function Start-Listener([int] $Index, [int] $Port) {
        $code = "import socket`ns=socket.socket()`ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)`ns.bind(('0.0.0.0',$Port))`ns.listen(16)`nwhile True:`n  c,_=s.accept()`n  c.close()"
        $file = "/tmp/roofs-listen-$Port.py"
        Invoke-LabHost -Name $LabName -Index $Index -Directory $Lab.Directory -Command "printf '%s\n' '$($code -replace "'", "'\''")' > $file; nohup python3 $file >/dev/null 2>&1 &" | Out-Null
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (-not (Test-Tcp $Lab.Addresses[$Index - 1] $Port)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "the listener on host $Index port $Port did not start" }
            Start-Sleep -Milliseconds 200
        }
    }

    function Test-Tcp([string] $Address, [int] $Port) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { return $client.ConnectAsync($Address, $Port).Wait(2000) } catch { return $false } finally { $client.Dispose() }
    }

    # The managed rules of every firewall, read directly on the hosts (not through RemoteOps).
    function Get-HostRules([int] $Index) { (Invoke-LabHost -Name $LabName -Index $Index -Directory $Lab.Directory -Command 'nft list table inet remoteops 2>/dev/null || true') -join "`n" }

    Start-Listener -Index 1 -Port 8443
    Start-Listener -Index 2 -Port 8443
    Start-Listener -Index 1 -Port 9555
}

AfterAll {
    Get-RoApplianceConnection | Disconnect-RoAppliance
    if ($script:Lab) { Stop-TestLab -Name $LabName -Directory $Lab.Directory }
}

Describe 'examples/Open-FirewallService.ps1 on two nftables firewalls' -Tag 'Lab', 'Firewall' {
    It 'opens the service on both with a confirm window and keeps it when it answers through both' {
        $settled = @(& $Example @Run -Port 8443 6>$null)

        $settled.Count | Should -Be 2
        $settled.State | Should -Be @('Confirmed', 'Confirmed')
        @(Get-ChildItem (Join-Path $TestDrive 'before') -Filter '*.policy.json').Count | Should -Be 2
        # Past the window the rule is still there: the confirm stopped the timers on the hosts.
        Start-Sleep -Seconds ($Window + 3)
        foreach ($index in 1, 2) { Get-HostRules $index | Should -Match 'allow-tcp-8443' }
        $records = @(Get-RoAuditLog -Path $Audit)
        @($records | Where-Object { $_.Action -eq 'Confirm-RoFirewallChange' -and $_.Outcome -eq 'Confirmed' }).Count | Should -Be 2
    }

    It 'changes nothing on a second run' {
        $results = @(& $Example @Run -Port 8443 6>$null)

        $results.Count | Should -Be 0
        foreach ($index in 1, 2) { ([regex]::Matches((Get-HostRules $index), 'allow-tcp-8443')).Count | Should -Be 1 }
        $fw = Connect-RoAppliance -Driver Nftables -Address $Lab.Addresses[0] -UserName $Lab.user -KeyFilePath $Lab.keys.ed25519 -KnownHostsPath $Lab.knownHosts -NotDefault
        @(Get-RoFirewallChange -Connection $fw | Where-Object State -EQ 'Pending').Count | Should -Be 0
        Disconnect-RoAppliance -Connection $fw
    }

    It 'undoes the change on both when the service does not answer through one of them' {
        # Only the first firewall host runs a service on 9555.
        $settled = @(& $Example @Run -Port 9555 6>$null)

        $settled.Count | Should -Be 2
        $settled.State | Should -Be @('RolledBack', 'RolledBack')
        foreach ($index in 1, 2) {
            $rules = Get-HostRules $index
            $rules | Should -Not -Match 'allow-tcp-9555'
            $rules | Should -Match 'allow-tcp-8443'
        }
    }
}
