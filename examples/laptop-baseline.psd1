# The laptop baseline of a remote workforce, kept in version control next to the runbooks.
# Read by Test-RoLaptopCompliance and Repair-RoLaptopCompliance (-Baseline); format in docs/laptops.md.
@{
    DiskEncryption           = @{ Required = $true; LuksVersion = 2; Cipher = 'aes-xts-plain64' }

    UsbStorage               = @{
        Block   = $true
        Allowed = @(
            @{ VendorId = '0951'; ProductId = '1666'; Serial = '60A44C413E4FF0A0'; Description = 'Kingston IronKey, help desk loan stick' }
            @{ VendorId = '1050'; ProductId = '0407'; Description = 'YubiKey 5 (every serial)' }
        )
    }

    VpnProfile               = @{
        Name                 = 'Corp VPN'
        Gateway              = 'vpn.corp.example:443'
        Protocol             = 'anyconnect'
        ServerCertificatePin = 'pin-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='
    }

    HostFirewall             = @{ DefaultDenyInbound = $true; ManagementNetwork = '10.20.0.0/16' }

    AutomaticSecurityUpdates = $true

    SshHardening             = @{ NoPasswordLogin = $true; NoRootLogin = $true }

    ScreenLock               = @{ Required = $true; MaxIdleSeconds = 300 }

    RequiredPackages         = @('openssh-server', 'nftables', 'network-manager-openconnect', 'cryptsetup-bin')
    ForbiddenPackages        = @('telnetd', 'rsh-server', 'nis')
}
