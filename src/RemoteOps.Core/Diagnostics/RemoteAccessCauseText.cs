namespace RemoteOps.Core.Diagnostics
{
    /// <summary>Each cause in one plain sentence for help-desk staff.</summary>
    public static class RemoteAccessCauseText
    {
        /// <summary>The verdict sentence for a cause found by <paramref name="check"/>.</summary>
        public static string Summary(RemoteAccessCause cause, RemoteAccessCheckResult check)
        {
            string where = check?.Target;
            switch (cause)
            {
                case RemoteAccessCause.ApplianceDown: return $"The VPN appliance {where} does not answer: nobody can sign in through it.";
                case RemoteAccessCause.GatewayNameNotResolved: return $"The VPN gateway's name {where} does not resolve.";
                case RemoteAccessCause.GatewayUnreachable: return $"The VPN gateway {where} does not accept connections.";
                case RemoteAccessCause.CertificateInvalid: return $"The VPN gateway {where} presents a certificate that clients will refuse.";
                case RemoteAccessCause.AccountNotFound: return $"There is no VPN account for this user on {where}.";
                case RemoteAccessCause.AccountDisabled: return $"The user's VPN account on {where} is disabled or locked.";
                case RemoteAccessCause.PasswordExpired: return $"The user's VPN password on {where} has expired or must be changed at sign-in: the VPN will not connect until a new password is set.";
                case RemoteAccessCause.NoAccessMapping: return $"The user's VPN account on {where} is fine, but no rule of the appliance gives the user VPN access (no role, portal or group).";
                case RemoteAccessCause.SecondFactorUserNotFound: return $"The user has no account on the second-factor service {where}.";
                case RemoteAccessCause.SecondFactorDisabled: return $"The user's second-factor account on {where} is disabled.";
                case RemoteAccessCause.TokenLocked: return $"The user's token is locked on {where} (too many wrong codes).";
                case RemoteAccessCause.NoTokenAssigned: return $"The user has no usable token or authenticator on {where}.";
                case RemoteAccessCause.LicenceFull: return $"The VPN appliance {where} has no free session: its licence or session limit is reached.";
                case RemoteAccessCause.TooManySessions: return $"The user already has as many VPN sessions on {where} as allowed per user.";
                case RemoteAccessCause.WrongPassword: return $"{where} refused the password, and nothing else explains it: the password is wrong.";
                case RemoteAccessCause.LaptopNonCompliant: return $"The user's laptop {where} does not meet the laptop baseline; the VPN appliance may refuse it or its VPN profile may not work.";
                case RemoteAccessCause.ClusterDegraded: return $"A node of the VPN cluster {where} is down; sign-ins should still work through the others.";
                case RemoteAccessCause.CertificateExpiring: return $"The VPN gateway's certificate on {where} expires soon; clients will refuse it once it has expired.";
                case RemoteAccessCause.CheckNotMade: return $"No cause found, but the {check?.Check} check on {where} could not run, so its cause is not ruled out.";
                default: return "No problem found.";
            }
        }
    }
}
