namespace RemoteOps.Core.Quoting
{
    /// <summary>How a POSIX shell word spells the characters it quotes.</summary>
    /// <remarks>
    /// Kept apart from the quoting code itself because the secret redactor, which sits below
    /// the SSH layer, must recognise a secret in this spelling too.
    /// </remarks>
    internal static class PosixQuoting
    {
        // Inside single quotes sh treats every character literally, except the closing quote
        // itself, so a quote is written as: close, an escaped quote, reopen.
        public const string EscapedSingleQuote = "'\\''";
    }
}
