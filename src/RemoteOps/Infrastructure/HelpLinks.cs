namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// Where the cmdlet reference is published, for Get-Help -Online. Each cmdlet's HelpUri is
    /// this address plus its page name, docs/cmdlets/Verb-Noun.md, and the help build puts the
    /// same address first in the page's related links.
    /// </summary>
    internal static class HelpLinks
    {
        internal const string CmdletReference = "https://github.com/remoteops/RemoteOps/blob/main/docs/cmdlets/";
    }
}
