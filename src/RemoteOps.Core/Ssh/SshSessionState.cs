namespace RemoteOps.Core.Ssh
{
    /// <summary>Where a held SSH session stands.</summary>
    public enum SshSessionState
    {
        /// <summary>Open (a connection the far end dropped is reconnected once on its next use).</summary>
        Opened,

        /// <summary>A reconnect failed (host down, host key changed, credentials refused); remove the session and open a new one.</summary>
        Broken,

        /// <summary>Closed by Remove-RoSshSession, by removing the module or by the end of its runspace.</summary>
        Closed,
    }
}
