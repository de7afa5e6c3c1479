#requires -Version 7.2
# The lab script itself: a lab outlives the command that brought it up, and must not keep
# anything of that command's (such as the lab lock that command held) for as long as it runs.

BeforeAll {
    $script:LabScript = Join-Path $env:REMOTEOPS_REPO_ROOT 'lab/lab.sh'
    $script:LabName = 'rolabsh'
    $script:LabDir = Join-Path ([IO.Path]::GetTempPath()) "remoteops-$LabName-$PID"
    $script:LockFile = Join-Path $TestDrive 'lab.lock'
}

AfterAll {
    & bash $LabScript down --name $LabName --dir $LabDir 2>&1 | Out-Null
    Remove-Item -Recurse -Force $LabDir -ErrorAction SilentlyContinue
}

Describe 'A lab brought up under a lock' -Tag 'Lab' {
    It 'does not hold the lock once up brought it up' {
        & flock $LockFile bash $LabScript up --name $LabName --hosts 1 --subnet 214 --dir $LabDir 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0

        # A lab host that kept flock's descriptor would keep the lock until the lab went down.
        & flock --nonblock $LockFile true
        $LASTEXITCODE | Should -Be 0
        & bash $LabScript exec --name $LabName --host 1 --dir $LabDir -- true
        $LASTEXITCODE | Should -Be 0
    }
}
