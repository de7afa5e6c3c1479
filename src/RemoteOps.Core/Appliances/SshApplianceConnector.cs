using System;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// Opens the SSH shell an SSH-managed driver works through, with the same host-key checks as
    /// the SSH cmdlets, and reports a failure as an appliance error of the matching kind.
    /// </summary>
    public static class SshApplianceConnector
    {
        /// <summary>
        /// Connects and returns a shell that runs commands (privileged ones through 'sudo -n' when
        /// asked and the account is not root), with at most <paramref name="maxChannels"/> at once.
        /// </summary>
        public static async Task<IRemoteShell> OpenShellAsync(SshEndpoint endpoint, bool useSudo, TimeSpan commandTimeout, int maxChannels, CancellationToken cancellationToken)
        {
            if (endpoint == null)
            {
                throw new ArgumentNullException(nameof(endpoint));
            }

            SshSession session;
            try
            {
                session = await SshSession.ConnectAsync(endpoint.Target, endpoint.Credentials, endpoint.Options, cancellationToken).ConfigureAwait(false);
            }
            catch (SshFailureException ssh)
            {
                throw new ApplianceException(HostStatusKinds.ToErrorKind(ssh.Status) ?? ApplianceErrorKind.Failed, ssh.Message, ssh.Remedy, ssh);
            }

            return new SshRemoteShell(session, useSudo && endpoint.Target.UserName != "root", commandTimeout, maxChannels);
        }

        /// <summary>Opens the driver over a new shell; the shell is closed again if the driver cannot be opened.</summary>
        public static async Task<TDriver> OpenDriverAsync<TDriver>(SshEndpoint endpoint, bool useSudo, TimeSpan commandTimeout, int maxChannels,
            Func<IRemoteShell, Task<TDriver>> open, CancellationToken cancellationToken)
            where TDriver : IAppliance
        {
            IRemoteShell shell = await OpenShellAsync(endpoint, useSudo, commandTimeout, maxChannels, cancellationToken).ConfigureAwait(false);
            try
            {
                return await open(shell).ConfigureAwait(false);
            }
            catch
            {
                shell.Dispose();
                throw;
            }
        }
    }
}
