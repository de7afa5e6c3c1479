# Starts and stops a lab of real SSH hosts (network namespaces on 198.18.K.0/24) for a test file.
# Stop-TestLab is safe to call after a failed or partial start.

$script:LabScript = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/lab.sh'

function Start-TestLab {
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [int] $HostCount,
        [Parameter(Mandatory)] [int] $Subnet
    )
    $dir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-$Name-$PID"
    $output = & bash $script:LabScript up --name $Name --hosts $HostCount --subnet $Subnet --dir $dir 2>&1
    if ($LASTEXITCODE -ne 0) {
        & bash $script:LabScript down --name $Name --dir $dir 2>&1 | Out-Null
        throw "The lab did not come up: $($output -join "`n")"
    }
    $inventory = Get-Content -Raw (Join-Path $dir 'inventory.json') | ConvertFrom-Json
    $inventory | Add-Member -NotePropertyName Directory -NotePropertyValue $dir
    $inventory | Add-Member -NotePropertyName SecurePassword -NotePropertyValue ($inventory.password | ConvertTo-SecureString -AsPlainText -Force)
    # 'Address' is also a method of every .NET array, so $hosts.address would not enumerate.
    $inventory | Add-Member -NotePropertyName Addresses -NotePropertyValue @($inventory.hosts | ForEach-Object address)
    return $inventory
}

function Stop-TestLab {
    param([Parameter(Mandatory)] [string] $Name, [string] $Directory)
    $arguments = @('down', '--name', $Name)
    if ($Directory) { $arguments += @('--dir', $Directory) }
    & bash $script:LabScript @arguments 2>&1 | Out-Null
    if ($Directory -and (Test-Path $Directory)) { Remove-Item -Recurse -Force $Directory -ErrorAction SilentlyContinue }
}

function Invoke-LabHost {
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [int] $Index, [Parameter(Mandatory)] [string] $Command, [string] $Directory)
    $arguments = @('exec', '--name', $Name, '--host', $Index)
    if ($Directory) { $arguments += @('--dir', $Directory) }
    $output = & bash $script:LabScript @arguments -- sh -c $Command 2>&1
    if ($LASTEXITCODE -ne 0) { throw "lab exec on host $Index failed: $($output -join "`n")" }
    return $output
}

function Stop-LabSshd {
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [int] $Index, [string] $Directory)
    $arguments = @('stop-sshd', '--name', $Name, '--host', $Index)
    if ($Directory) { $arguments += @('--dir', $Directory) }
    & bash $script:LabScript @arguments 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "lab stop-sshd on host $Index failed" }
}

function Start-LabSshd {
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [int] $Index, [string] $Directory)
    $arguments = @('start-sshd', '--name', $Name, '--host', $Index)
    if ($Directory) { $arguments += @('--dir', $Directory) }
    & bash $script:LabScript @arguments 2>&1 | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "lab start-sshd on host $Index failed" }
}

Export-ModuleMember -Function Start-TestLab, Stop-TestLab, Invoke-LabHost, Stop-LabSshd, Start-LabSshd
