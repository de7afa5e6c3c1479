namespace RemoteOps.Core.Diagnostics
{
    /// <summary>
    /// Why a person cannot sign in to the VPN, as a help desk would name it. The order of
    /// precedence when several apply is <see cref="RemoteAccessCauseRanking"/>'s, not this enum's.
    /// </summary>
    public enum RemoteAccessCause
    {
        /// <summary>Nothing found: every check that could run passed.</summary>
        None,

        /// <summary>The VPN appliance does not answer.</summary>
        ApplianceDown,

        /// <summary>The gateway's name does not resolve from where the command ran.</summary>
        GatewayNameNotResolved,

        /// <summary>The gateway's TLS port does not accept connections.</summary>
        GatewayUnreachable,

        /// <summary>The gateway's certificate is expired, not yet valid, for another name or not trusted.</summary>
        CertificateInvalid,

        /// <summary>The user has no VPN account.</summary>
        AccountNotFound,

        /// <summary>The VPN account is disabled or locked.</summary>
        AccountDisabled,

        /// <summary>The user has no account on the second-factor service.</summary>
        SecondFactorUserNotFound,

        /// <summary>The second-factor account is disabled.</summary>
        SecondFactorDisabled,

        /// <summary>The second-factor token or methods are locked (too many wrong codes).</summary>
        TokenLocked,

        /// <summary>No token or authenticator is assigned, or none is enabled and unexpired.</summary>
        NoTokenAssigned,

        /// <summary>Every session the appliance licenses or allows is in use.</summary>
        LicenceFull,

        /// <summary>The user already has as many sessions as the appliance allows per user.</summary>
        TooManySessions,

        /// <summary>The appliance refused the password in a real sign-in, and no other check explains it.</summary>
        WrongPassword,

        /// <summary>A cluster node is unreachable (the others carry the sessions).</summary>
        ClusterDegraded,

        /// <summary>The gateway's certificate expires soon (within the warning window).</summary>
        CertificateExpiring,

        /// <summary>A check could not be made; the verdict cannot rule its cause out.</summary>
        CheckNotMade,

        /// <summary>The user's laptop does not meet the laptop baseline (its VPN profile, firewall, encryption...).</summary>
        LaptopNonCompliant,

        /// <summary>The VPN password has expired, or the user must choose a new one before the VPN lets them in.</summary>
        PasswordExpired,

        /// <summary>The account is fine, but no realm role-mapping rule, authentication rule or group gives the user VPN access.</summary>
        NoAccessMapping,
    }
}
