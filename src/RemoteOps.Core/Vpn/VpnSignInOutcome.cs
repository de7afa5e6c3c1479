namespace RemoteOps.Core.Vpn
{
    /// <summary>How an appliance answered a user's sign-in.</summary>
    public enum VpnSignInOutcome
    {
        /// <summary>The appliance accepted the password and opened a session.</summary>
        SignedIn,

        /// <summary>The appliance accepted the password but first asks to end the user's other sessions.</summary>
        SignedInElsewhere,

        /// <summary>The appliance refused the user name or password (it does not say which, nor whether the account is disabled).</summary>
        Refused,

        /// <summary>The account is locked out (too many wrong passwords).</summary>
        LockedOut,

        /// <summary>The appliance has no free session (licence or session limit reached).</summary>
        NoFreeSession,

        /// <summary>The sign-in page does not offer the realm the users sign in to.</summary>
        RealmNotOffered,

        /// <summary>An answer RemoteOps does not know; the evidence says what came back.</summary>
        Unexpected,

        /// <summary>The appliance accepted the password but demands a new one first (expired, or change at sign-in set); no session was opened.</summary>
        PasswordChangeRequired,

        /// <summary>The appliance accepted the password but its rules give the user no role (no VPN access); no session was opened.</summary>
        NoRoleMapped,
    }
}
