# The "What if:" lines and -Confirm questions of a command as a user sees them. PowerShell writes
# them to the host, not to a stream a test can redirect, so the command runs in a child pwsh whose
# console output is read (and whose answers to -Confirm come from its standard input).

function Invoke-WhatIfScript {
    <#
    .SYNOPSIS
    Runs $Script in a new pwsh with the module under test imported; returns every line it printed.
    With -Answer the pwsh is interactive and reads the answers to its questions from those lines.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $Folder,
        [string[]] $Answer
    )
    $file = Join-Path $Folder "whatif-$([guid]::NewGuid().ToString('N').Substring(0, 8)).ps1"
    Set-Content -LiteralPath $file -Encoding utf8NoBOM -Value @"
`$ErrorActionPreference = 'Stop'
`$PSStyle.OutputRendering = 'PlainText'
Import-Module '$($env:REMOTEOPS_MODULE_PATH)'
$Script
"@
    $exe = [Environment]::ProcessPath
    $prefix = @()
    if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $prefix = @(Join-Path $PSHOME 'pwsh.dll') }
    $lines = if ($Answer) {
        @($Answer | & $exe @prefix -NoProfile -File $file 2>&1 | ForEach-Object { "$_" })
    }
    else {
        @(& $exe @prefix -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" })
    }
    if ($LASTEXITCODE -ne 0) { throw "The -WhatIf script failed (exit code $LASTEXITCODE):`n$($lines -join "`n")" }
    return $lines
}

Export-ModuleMember -Function Invoke-WhatIfScript
