#requires -Version 7.2
# The FortiOS emulator against a real public client: ansible-playbook with the fortinet.fortios
# collection (Debian's 'ansible' package ships it) over its httpapi connection plugin. What the
# playbook adds, changes and deletes is read back with RemoteOps and from the emulator.
#
# The connection is the one the collection documents for a FortiGate (EXAMPLES of
# plugins/modules/fortios_user_local.py; plugins/httpapi/fortios.py): connection httpapi,
# ansible_network_os fortinet.fortios.fortios, HTTPS on the emulator's port, and the API token as
# the modules' access_token parameter, which the plugin sends as ?access_token= in the URL.
# FortiOS accepts URL tokens by default only before 7.4.5, so the emulator runs as 7.4.4.
#
# The inventory holds 127.0.0.1 only and facts are not gathered: ansible talks to nothing but the
# emulator on loopback. The certificate is checked against the emulator's lab CA alone
# (SSL_CERT_FILE replaces the trust store for this one ansible process).
#
# Starting ansible's persistent connection is most of a run's time, so one playbook does it all
# and waits between its stages for this file to read the results back (ansible's own wait_for on
# a file the test writes).

BeforeDiscovery {
    $script:NoAnsible = -not (Get-Command ansible-playbook -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module $env:REMOTEOPS_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'EmulatorFixture.psm1') -Force

    $script:Fgt = Start-ApplianceEmulator -Kind fortios -ExtraArgument '--version', '7.4.4'
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "remoteops-ansible-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    New-Item -ItemType Directory $Work | Out-Null
    $port = ([uri]$Fgt.baseUrl).Port

    # Reads one table entry straight from the emulator (Bearer token, lab CA only); $null when absent.
    function Get-FgtEntry([string] $Path) {
        $client = [System.Net.Http.HttpClient]::new((New-EmulatorHttpHandler -Emulator $Fgt))
        try {
            $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, "$($Fgt.baseUrl)/api/v2/cmdb/$Path")
            $request.Headers.Add('Authorization', "Bearer $($Fgt.apiToken)")
            $response = $client.SendAsync($request).GetAwaiter().GetResult()
            if ([int]$response.StatusCode -eq 404) { return $null }
            $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
            @(($text | ConvertFrom-Json).results)[0]
        }
        finally { $client.Dispose() }
    }

    # Waits for the playbook to reach a stage (it touches "<stage>.reached"); fails with its output when it ends first.
    function Wait-PlaybookStage([string] $Stage) {
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while (-not (Test-Path (Join-Path $Work "$Stage.reached"))) {
            if ($Run.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                throw "ansible-playbook did not reach '$Stage': $(Get-Content -Raw (Join-Path $Work 'ansible.out') -ErrorAction SilentlyContinue)"
            }
            Start-Sleep -Milliseconds 100
        }
    }

    # The result of the named task, from the JSON callback's output once the playbook has ended.
    function Get-TaskResult([string] $Task) {
        $json = Get-Content -Raw (Join-Path $Work 'ansible.out') | ConvertFrom-Json -Depth 50
        ($json.plays[0].tasks | Where-Object { $_.task.name -eq $Task }).hosts.fgt
    }

    Set-Content -Path (Join-Path $Work 'inventory.ini') -Value "fgt ansible_host=127.0.0.1`n"
    # The token is in a vars file only this user can read, never on a command line.
    $varsFile = Join-Path $Work 'vars.yml'
    New-Item -ItemType File $varsFile | Out-Null
    & chmod 600 $varsFile
    Set-Content -Path $varsFile -Value @"
ansible_connection: httpapi
ansible_network_os: fortinet.fortios.fortios
ansible_httpapi_use_ssl: true
ansible_httpapi_validate_certs: true
ansible_httpapi_port: $port
ansible_python_interpreter: /usr/bin/python3
fgt_token: "$($Fgt.apiToken)"
work: "$Work"
"@

    Set-Content -Path (Join-Path $Work 'playbook.yml') -Value @'
- hosts: fgt
  gather_facts: false
  vars_files:
    - vars.yml
  tasks:
    - name: add user
      fortinet.fortios.fortios_user_local:
        vdom: root
        access_token: "{{ fgt_token }}"
        state: present
        user_local:
          name: ansible-user
          type: password
          passwd: "Ansible-Initial-77!"
          status: enable
          email_to: ansible@example.test
    - name: add address
      fortinet.fortios.fortios_firewall_address:
        vdom: root
        access_token: "{{ fgt_token }}"
        state: present
        firewall_address:
          name: ansible-net
          type: ipmask
          subnet: 198.18.40.0 255.255.255.0
    - name: add policy
      fortinet.fortios.fortios_firewall_policy:
        vdom: root
        access_token: "{{ fgt_token }}"
        state: present
        firewall_policy:
          policyid: 4040
          name: ansible-policy
          srcintf: [{ name: port1 }]
          dstintf: [{ name: port2 }]
          srcaddr: [{ name: ansible-net }]
          dstaddr: [{ name: all }]
          service: [{ name: ALL }]
          action: accept
          schedule: always
    - { name: added, ansible.builtin.file: { path: "{{ work }}/added.reached", state: touch } }
    - { name: wait to change, ansible.builtin.wait_for: { path: "{{ work }}/change.go", timeout: 90 } }

    - name: change user
      fortinet.fortios.fortios_user_local:
        vdom: root
        access_token: "{{ fgt_token }}"
        state: present
        user_local:
          name: ansible-user
          status: disable
          email_to: changed@example.test
    - name: change policy
      fortinet.fortios.fortios_firewall_policy:
        vdom: root
        access_token: "{{ fgt_token }}"
        state: present
        firewall_policy:
          policyid: 4040
          action: deny
    - { name: changed, ansible.builtin.file: { path: "{{ work }}/changed.reached", state: touch } }
    - { name: wait to delete, ansible.builtin.wait_for: { path: "{{ work }}/delete.go", timeout: 90 } }

    - name: delete policy
      fortinet.fortios.fortios_firewall_policy:
        vdom: root
        access_token: "{{ fgt_token }}"
        state: absent
        firewall_policy:
          policyid: 4040
    - name: delete address
      fortinet.fortios.fortios_firewall_address:
        vdom: root
        access_token: "{{ fgt_token }}"
        state: absent
        firewall_address:
          name: ansible-net
    - name: delete user
      fortinet.fortios.fortios_user_local:
        vdom: root
        access_token: "{{ fgt_token }}"
        state: absent
        user_local:
          name: ansible-user
'@

    $token = [pscredential]::new('api', (ConvertTo-SecureString $Fgt.apiToken -AsPlainText -Force))
    $script:Connection = Connect-RoVpnAppliance -Driver FortiGate -Address $Fgt.baseUrl -Credential $token -PublicKeyPin $Fgt.spkiSha256 -NotDefault

    if (-not $NoAnsible) {
        $script:Run = Start-Process -FilePath ansible-playbook -ArgumentList '-i', 'inventory.ini', 'playbook.yml' -WorkingDirectory $Work -PassThru `
            -RedirectStandardOutput (Join-Path $Work 'ansible.out') -RedirectStandardError (Join-Path $Work 'ansible.err') -Environment @{
                ANSIBLE_STDOUT_CALLBACK  = 'ansible.posix.json'
                ANSIBLE_LOCAL_TEMP       = (Join-Path $Work 'tmp')
                ANSIBLE_PERSISTENT_CONTROL_PATH_DIR = (Join-Path $Work 'pc')
                ANSIBLE_NOCOLOR          = '1'
                ANSIBLE_RETRY_FILES_ENABLED = '0'
                SSL_CERT_FILE            = $Fgt.caCertificate
            }
    }
}

AfterAll {
    if ($script:Run -and -not $Run.HasExited) { $Run.Kill($true); $Run.WaitForExit(10000) | Out-Null }
    if ($script:Fgt) { Stop-ApplianceEmulator -Emulator $Fgt }
    if ($script:Work -and (Test-Path $Work)) { Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue }
}

Describe 'ansible-playbook with fortinet.fortios against the FortiOS emulator' -Tag 'Emulator' -Skip:$NoAnsible {
    It 'adds a local user, an address and a policy that uses it (fortios_user_local, _firewall_address, _firewall_policy)' {
        Wait-PlaybookStage 'added'
        $user = Get-RoVpnUser -Connection $Connection -UserName 'ansible-user'
        $user.Enabled | Should -BeTrue
        (Get-FgtEntry 'user/local/ansible-user').'email-to' | Should -Be 'ansible@example.test'
        (Get-FgtEntry 'firewall/address/ansible-net').subnet | Should -Be '198.18.40.0 255.255.255.0'
        $policy = Get-FgtEntry 'firewall/policy/4040'
        $policy.name | Should -Be 'ansible-policy'
        @($policy.srcaddr.name) | Should -Be @('ansible-net')
        $policy.action | Should -Be 'accept'
    }

    It 'changes the user and the policy' {
        Set-Content -Path (Join-Path $Work 'change.go') -Value ''
        Wait-PlaybookStage 'changed'
        (Get-RoVpnUser -Connection $Connection -UserName 'ansible-user').Enabled | Should -BeFalse
        (Get-FgtEntry 'user/local/ansible-user').'email-to' | Should -Be 'changed@example.test'
        $policy = Get-FgtEntry 'firewall/policy/4040'
        $policy.action | Should -Be 'deny'
        @($policy.srcaddr.name) | Should -Be @('ansible-net')
    }

    It 'deletes them again, and ansible reports every change and never shows the token' {
        Set-Content -Path (Join-Path $Work 'delete.go') -Value ''
        $Run.WaitForExit(90000) | Should -BeTrue
        $Run.ExitCode | Should -Be 0 -Because (Get-Content -Raw (Join-Path $Work 'ansible.out'))
        Get-RoVpnUser -Connection $Connection -UserName 'ansible-user' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-FgtEntry 'firewall/policy/4040' | Should -BeNullOrEmpty
        Get-FgtEntry 'firewall/address/ansible-net' | Should -BeNullOrEmpty
        foreach ($task in 'add user', 'add address', 'add policy', 'change user', 'change policy', 'delete policy', 'delete address', 'delete user') {
            (Get-TaskResult $task).changed | Should -BeTrue -Because "'$task' made a change"
        }
        Get-Content -Raw (Join-Path $Work 'ansible.out') | Should -Not -Match ([regex]::Escape($Fgt.apiToken))
    }
}
