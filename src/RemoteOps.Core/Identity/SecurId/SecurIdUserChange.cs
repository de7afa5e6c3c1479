namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>What a SecurID change cmdlet did to one user.</summary>
    public sealed class SecurIdUserChange
    {
        /// <summary>The user's e-mail address.</summary>
        public string UserName { get; set; }

        /// <summary>The SecurID service.</summary>
        public string Appliance { get; set; }

        /// <summary>Enable, Disable or Unlock.</summary>
        public string Action { get; set; }

        /// <summary>Changed, or NoChange when the user was already so (nothing was sent).</summary>
        public string Outcome { get; set; }

        /// <summary>What changed ("unlocked TOKEN") or why nothing did.</summary>
        public string Detail { get; set; }
    }
}
