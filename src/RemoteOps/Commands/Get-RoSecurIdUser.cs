using System.Management.Automation;
using RemoteOps.Core.Identity.SecurId;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Shows SecurID users: status, locked methods, tokens and devices.</summary>
    [Cmdlet(VerbsCommon.Get, "RoSecurIdUser", HelpUri = HelpLinks.CmdletReference + "Get-RoSecurIdUser.md")]
    [OutputType(typeof(SecurIdUser))]
    public sealed class GetRoSecurIdUserCommand : SecurIdCmdletBase
    {
        /// <summary>The users' e-mail addresses.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Email", "EmailAddress", "Mail", "Name", "User")]
        [AllowEmptyString]
        public string[] UserName { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (string name in UserName)
            {
                if (!AcceptUserName(name))
                {
                    continue;
                }

                SecurIdAppliance securId = SecurId;
                SecurIdUser user = RunOrWriteError(token => securId.GetUserAsync(name, token), name);
                if (user != null)
                {
                    WriteObject(user);
                }
            }
        }
    }
}
