#requires -Version 7.2
# The FortiOS emulator against the exact request shapes of public FortiOS clients, so that what
# passes here is what those clients send to a real FortiGate.
#
# Shapes from the PowerShell module PowerFGT (github.com/FortiPower/PowerFGT, version 0.10.1):
#   PowerFGT/Private/RestMethod.ps1      Invoke-FGTRestMethod: "https://host:port/" + uri, then "?" when
#                                        the uri has none, then "&with_meta=1", "&skip=1", "&vdom=...",
#                                        "&filter=<attr>==<escaped value>" (equal) or "<attr>=@<value>"
#                                        (contains), values joined by "," (OR); body: ConvertTo-Json -Compress
#   PowerFGT/Public/cmdb/user/local.ps1  Add-FGTUserLocal: Get-FGTUserLocal -name first (refuses when
#                                        found), POST api/v2/cmdb/user/local {name,status,type,passwd,...};
#                                        Set-FGTUserLocal: PUT api/v2/cmdb/user/local/<name> with only the
#                                        changed attributes; Remove-FGTUserLocal: DELETE .../<name>;
#                                        Get-FGTUserLocal -name/-filter_attribute/-filter_type
# Shapes from the Ansible collection fortinet.fortios
# (github.com/fortinet-ansible-dev/ansible-galaxy-fortios-collection):
#   plugins/modules/fortios_configuration_fact.py  filters (one filter parameter each, ANDed), format a|b
#   plugins/httpapi/fortios.py                     the token as ?access_token= in the URL
#
# Invoke-RestMethod cannot trust the emulator's lab CA without -SkipCertificateCheck or a change
# to the machine's trust store, so the requests go through an HttpClient whose handler trusts
# that CA alone (New-EmulatorHttpHandler); URL, method and body are byte for byte those above.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force

    function Invoke-FgtShape {
        param(
            [Parameter(Mandatory)] $Emulator,
            [Parameter(Mandatory)] [string] $Method,
            [Parameter(Mandatory)] [string] $Uri,
            $Body,
            [switch] $NoBearer
        )
        # Invoke-FGTRestMethod (RestMethod.ps1): full URL, "?" appended when the uri has none.
        $fullUrl = "$($Emulator.baseUrl)/$Uri"
        if ($fullUrl -notmatch '\?') { $fullUrl += '?' }
        $client = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $Emulator))
        try {
            $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method), $fullUrl)
            if (-not $NoBearer) { $request.Headers.Add('Authorization', "Bearer $($Emulator.apiToken)") }
            if ($null -ne $Body) {
                $request.Content = [System.Net.Http.StringContent]::new((ConvertTo-Json $Body -Depth 10 -Compress), [Text.Encoding]::UTF8, 'application/json')
            }
            $response = $client.SendAsync($request).GetAwaiter().GetResult()
            $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
            [pscustomobject]@{
                Status = [int]$response.StatusCode
                Json   = if ($text -and $text.TrimStart().StartsWith('{')) { $text | ConvertFrom-Json } else { $null }
                Text   = $text
            }
        }
        finally { $client.Dispose() }
    }

    # Get-FGTUserLocal -name X (local.ps1): filter_attribute name, filter_type equal.
    function Get-FgtUserLocalShape([string] $Name) {
        Invoke-FgtShape -Emulator $Fgt -Method GET -Uri "api/v2/cmdb/user/local?&filter=name==$([uri]::EscapeDataString($Name))"
    }

    # 7.4.4: the last release that accepts URL tokens by default (see the last Describe).
    $script:Fgt = Start-ApplianceEmulator -Kind fortios -ExtraArgument '--version', '7.4.4'
}

AfterAll {
    if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
}

Describe 'FortiOS emulator with PowerFGT request shapes' -Tag 'Emulator' {
    It 'answers Get-FGTUserLocal -name with that user only (filter honoured)' {
        $r = Get-FgtUserLocalShape 'alice'
        $r.Status | Should -Be 200
        @($r.Json.results).Count | Should -Be 1
        $r.Json.results[0].name | Should -Be 'alice'
        $r.Json.matched_count | Should -Be 1
        @((Get-FgtUserLocalShape 'pfgt-new').Json.results).Count | Should -Be 0
    }

    It 'returns the full FortiOS 7.x user object with its documented defaults' {
        $u = (Get-FgtUserLocalShape 'alice').Json.results[0]
        $names = $u.PSObject.Properties.Name
        foreach ($attribute in 'sms-server', 'sms-custom-server', 'two-factor-notification', 'passwd-policy', 'passwd-time',
                 'authtimeout', 'workstation', 'auth-concurrent-override', 'auth-concurrent-value', 'ppk-secret',
                 'ppk-identity', 'qkd-profile', 'username-sensitivity') {
            $names | Should -Contain $attribute
        }
        $u.'sms-server' | Should -Be 'fortiguard'
        $u.'username-sensitivity' | Should -Be 'enable'
        $u.authtimeout | Should -Be 0
        $u.passwd | Should -Be 'ENC XXXX'
    }

    It 'adds, changes and removes a local user as Add-/Set-/Remove-FGTUserLocal do' {
        # Add-FGTUserLocal -Name pfgt-new -password ... -status:$true -email_to ...
        (Get-FgtUserLocalShape 'pfgt-new').Json.results | Should -BeNullOrEmpty
        $add = Invoke-FgtShape -Emulator $Fgt -Method POST -Uri 'api/v2/cmdb/user/local' -Body ([pscustomobject]@{
            name = 'pfgt-new'; status = 'enable'; type = 'password'; passwd = 'Pfgt-Initial-99!'; 'email-to' = 'pfgt@example.test' })
        $add.Status | Should -Be 200
        $add.Json.mkey | Should -Be 'pfgt-new'
        (Get-FgtUserLocalShape 'pfgt-new').Json.results[0].'email-to' | Should -Be 'pfgt@example.test'

        # Set-FGTUserLocal -status:$false -sms_phone ... (only the changed attributes)
        $set = Invoke-FgtShape -Emulator $Fgt -Method PUT -Uri 'api/v2/cmdb/user/local/pfgt-new' -Body ([pscustomobject]@{
            status = 'disable'; 'sms-phone' = '+15550100' })
        $set.Status | Should -Be 200
        $after = (Get-FgtUserLocalShape 'pfgt-new').Json.results[0]
        $after.status | Should -Be 'disable'
        $after.'sms-phone' | Should -Be '+15550100'

        # Set-FGTUserLocal -data @{ 'sms-server' = 'custom' } passes any attribute of the object
        (Invoke-FgtShape -Emulator $Fgt -Method PUT -Uri 'api/v2/cmdb/user/local/pfgt-new' -Body ([pscustomobject]@{ 'sms-server' = 'custom' })).Status | Should -Be 200
        (Invoke-FgtShape -Emulator $Fgt -Method PUT -Uri 'api/v2/cmdb/user/local/pfgt-new' -Body ([pscustomobject]@{ 'sms-server' = 'carrier-pigeon' })).Status | Should -Be 424

        # Remove-FGTUserLocal
        (Invoke-FgtShape -Emulator $Fgt -Method DELETE -Uri 'api/v2/cmdb/user/local/pfgt-new').Status | Should -Be 200
        (Get-FgtUserLocalShape 'pfgt-new').Json.results | Should -BeNullOrEmpty
    }

    It 'honours filter_type contains, OR inside one filter, AND across filters' {
        # Get-FGTUserLocal -filter_attribute name -filter_value b -filter_type contains
        $contains = Invoke-FgtShape -Emulator $Fgt -Method GET -Uri 'api/v2/cmdb/user/local?&filter=name=@b'
        @($contains.Json.results.name) | Should -Be @('bob')
        # -filter_value alice, bob: RestMethod.ps1 joins the values with "," (OR)
        $or = Invoke-FgtShape -Emulator $Fgt -Method GET -Uri 'api/v2/cmdb/user/local?&filter=name==alice,name==bob'
        @($or.Json.results.name) | Should -Be @('alice', 'bob')
        # fortios_configuration_fact: one filter parameter per expression, ANDed
        $and = Invoke-FgtShape -Emulator $Fgt -Method GET -Uri 'api/v2/cmdb/user/local?filter=name!=alice&filter=email-to=@example'
        @($and.Json.results.name) | Should -Be @('bob')
        $not = Invoke-FgtShape -Emulator $Fgt -Method GET -Uri 'api/v2/cmdb/user/local?filter=name!@o'
        @($not.Json.results.name) | Should -Be @('alice')
        (Invoke-FgtShape -Emulator $Fgt -Method GET -Uri 'api/v2/cmdb/user/local?filter=name~alice').Status | Should -Be 400
    }

    It 'selects fields with format, pages with start and count, adds metadata with with_meta' {
        $r = Invoke-FgtShape -Emulator $Fgt -Method GET -Uri 'api/v2/cmdb/user/local?format=name|status&start=1&count=1&with_meta=1'
        @($r.Json.results).Count | Should -Be 1
        $r.Json.results[0].name | Should -Be 'bob'
        $r.Json.results[0].PSObject.Properties.Name | Should -Not -Contain 'email-to'
        $r.Json.results[0].q_ref | Should -Be 1   # bob is a member of SSLVPN_Users
        $r.Json.size | Should -Be 2
    }

    It 'leaves out what the type makes irrelevant with skip=1' {
        $u = (Invoke-FgtShape -Emulator $Fgt -Method GET -Uri 'api/v2/cmdb/user/local/alice?&skip=1').Json.results[0]
        $u.PSObject.Properties.Name | Should -Not -Contain 'radius-server'
        $u.PSObject.Properties.Name | Should -Contain 'email-to'
    }

    It 'accepts the token as ?access_token= below 7.4.5 (Ansible httpapi) and refuses a wrong one' {
        $ok = Invoke-FgtShape -Emulator $Fgt -Method GET -Uri "api/v2/monitor/system/status?vdom=root&access_token=$($Fgt.apiToken)" -NoBearer
        $ok.Status | Should -Be 200
        $ok.Json.version | Should -Match '^v7\.4\.'
        (Invoke-FgtShape -Emulator $Fgt -Method GET -Uri 'api/v2/monitor/system/status?vdom=root&access_token=NotTheToken0123' -NoBearer).Status | Should -Be 401
    }
}

Describe 'FortiOS 7.4.5 and later refuse URL tokens by default' -Tag 'Emulator' {
    BeforeAll { $script:Fgt745 = Start-ApplianceEmulator -Kind fortios -ExtraArgument '--version', '7.4.5' }
    AfterAll { if ($script:Fgt745) { Stop-ApplianceEmulator -Emulator $Fgt745 } }

    It 'answers 401 to ?access_token= and 200 to the Bearer header' {
        (Invoke-FgtShape -Emulator $Fgt745 -Method GET -Uri "api/v2/monitor/system/status?vdom=root&access_token=$($Fgt745.apiToken)" -NoBearer).Status | Should -Be 401
        (Invoke-FgtShape -Emulator $Fgt745 -Method GET -Uri 'api/v2/monitor/system/status?vdom=root').Status | Should -Be 200
    }
}
