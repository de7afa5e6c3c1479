namespace RemoteOps.Core.Vpn
{
    /// <summary>What a user's sign-in came to, and what the appliance answered (never the password or a session cookie).</summary>
    public sealed class VpnSignInResult
    {
        /// <summary>A result with its evidence.</summary>
        public VpnSignInResult(VpnSignInOutcome outcome, string evidence)
        {
            Outcome = outcome;
            Evidence = evidence;
        }

        /// <summary>How the appliance answered.</summary>
        public VpnSignInOutcome Outcome { get; }

        /// <summary>What was sent and answered, in plain words.</summary>
        public string Evidence { get; }
    }
}
