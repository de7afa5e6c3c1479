namespace RemoteOps.Core.Diagnostics
{
    /// <summary>How one check of a remote-access diagnosis came out.</summary>
    public enum RemoteAccessCheckStatus
    {
        /// <summary>The check found nothing that stops the user.</summary>
        Passed,

        /// <summary>Nothing stops the user yet, but something will soon or is degraded (a certificate about to expire, a cluster node down).</summary>
        Warning,

        /// <summary>The check found something that stops the user; its cause says what.</summary>
        Failed,

        /// <summary>The check could not be made (appliance not answering, no permission); the others still ran.</summary>
        CouldNotRun,

        /// <summary>This RemoteOps has no way to make the check yet, or nothing to check it against; the evidence says why.</summary>
        NotAvailable,
    }
}
