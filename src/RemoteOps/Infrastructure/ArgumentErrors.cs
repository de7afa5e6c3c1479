using System;
using System.Collections.Generic;
using System.Management.Automation;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Infrastructure
{
    /// <summary>ErrorRecords for input that is wrong before any host is touched.</summary>
    internal static class ArgumentErrors
    {
        internal static ErrorRecord Invalid(string errorId, string message, object target, Exception inner = null)
        {
            var exception = new ArgumentException(message, inner);
            return new ErrorRecord(exception, errorId, ErrorCategory.InvalidArgument, target);
        }

        /// <summary>
        /// The key files of -KeyFilePath resolved from the current location; stops the cmdlet with a
        /// KeyFileNotFound error naming the first one that does not exist, before any host is touched.
        /// </summary>
        internal static IReadOnlyList<string> ResolveExistingKeyFiles(PSCmdlet cmdlet, IEnumerable<string> paths)
        {
            var resolved = new List<string>();
            foreach (string path in paths ?? new string[0])
            {
                string full = LocalPaths.Resolve(cmdlet, path);
                if (!System.IO.File.Exists(full))
                {
                    cmdlet.ThrowTerminatingError(Invalid(
                        "KeyFileNotFound",
                        $"The key file '{path}' does not exist. Pass the path of a private key, for example ~/.ssh/id_ed25519.",
                        path));
                }

                resolved.Add(full);
            }

            return resolved;
        }

        /// <summary>Stops the cmdlet with an InvalidJumpHost error when -JumpHost is not [user@]host[:port].</summary>
        internal static void ThrowOnInvalidJumpHost(PSCmdlet cmdlet, string jumpHost)
        {
            if (jumpHost == null)
            {
                return;
            }

            try
            {
                SshTarget.Parse(jumpHost);
            }
            catch (ArgumentException error)
            {
                cmdlet.ThrowTerminatingError(Invalid("InvalidJumpHost", $"-JumpHost: {error.Message}", jumpHost, error));
            }
        }

        /// <summary>Stops the cmdlet with an error naming the first value that is not a SHA-256 fingerprint.</summary>
        internal static void ThrowOnInvalidFingerprint(PSCmdlet cmdlet, IEnumerable<string> fingerprints)
        {
            foreach (string fingerprint in fingerprints)
            {
                if (!SshFingerprint.TryNormalize(fingerprint, out _))
                {
                    cmdlet.ThrowTerminatingError(Invalid(
                        "InvalidFingerprint",
                        $"'{fingerprint}' is not a SHA-256 host key fingerprint. Give it as OpenSSH prints it: SHA256: followed by 43 base64 characters.",
                        fingerprint));
                }
            }
        }
    }
}
