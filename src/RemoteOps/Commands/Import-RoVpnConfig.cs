using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Appliances.Planning;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Vpn;
using RemoteOps.Infrastructure;
using RemoteOps.Core.Audit;

namespace RemoteOps.Commands
{
    /// <summary>Puts the user groups and users of a backup from Export-RoVpnConfig back on the appliance: planned, shown by -WhatIf, verified after.</summary>
    [Cmdlet(VerbsData.Import, "RoVpnConfig", HelpUri = HelpLinks.CmdletReference + "Import-RoVpnConfig.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(VpnUserRestore), typeof(VpnGroupRestore))]
    public sealed class ImportRoVpnConfigCommand : VpnCmdletBase
    {
        private const string AuditAction = "Import-RoVpnConfig";

        /// <summary>The backup file written by Export-RoVpnConfig.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The password for every user the restore creates (a backup holds no passwords).</summary>
        [Parameter]
        public SecureString Password { get; set; }

        /// <summary>Generate a random password per created user, returned as InitialPassword.</summary>
        [Parameter]
        public SwitchParameter GeneratePassword { get; set; }

        /// <summary>Also remove the users the backup does not have.</summary>
        [Parameter]
        public SwitchParameter Prune { get; set; }

        /// <summary>Skip the confirmation prompt (-WhatIf still shows the plan and changes nothing).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The audit log file; by default $env:REMOTEOPS_AUDIT_LOG or the per-user default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuditLogPath { get; set; }

        /// <inheritdoc />
        protected override ApplianceCapabilities RequiredCapability => ApplianceCapabilities.VpnUsers;

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (Password != null && GeneratePassword)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("PasswordAndGeneratePassword", "Give either -Password or -GeneratePassword, not both: they both set the password of the users the restore creates.", null));
            }

            if (Password != null && Password.Length == 0)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("EmptyPassword", "-Password is empty; give a password, -GeneratePassword, or neither (missing users are then created disabled).", null));
            }

            ConfigBackup backup = ReadBackup();
            ApplianceConnection connection = ResolvedConnection;
            if (!string.Equals(backup.Driver, connection.Driver, StringComparison.OrdinalIgnoreCase))
            {
                ThrowTerminatingError(ArgumentErrors.Invalid(
                    "VpnBackupDriverMismatch",
                    $"'{Path}' is a backup of a {backup.Driver ?? "(unknown)"} appliance, but {connection} is a {connection.Driver} appliance; users are restored only to an appliance of the same kind.",
                    Path));
            }

            IVpnAppliance vpn = Vpn;
            IVpnBackupReader reader = vpn as IVpnBackupReader;
            IReadOnlyList<BackupUser> users = ReadUsers(reader, backup);
            if (users == null)
            {
                return;
            }

            if (!string.Equals(backup.Appliance, connection.Address, StringComparison.OrdinalIgnoreCase))
            {
                WriteVerbose($"The backup was taken from {backup.Appliance}; restoring its users to {connection.Address}.");
            }

            // The log must take the changes before the first one is made.
            var audit = new AuditTrail(this, AuditLogPath, new[] { SecretText.Reveal(Password) });
            RestorePasswords passwords = Password != null ? RestorePasswords.Given : GeneratePassword ? RestorePasswords.Generated : RestorePasswords.None;
            // Groups the driver keeps as objects of their own are planned first and created before
            // the users, so a user whose group was deleted is restored into it.
            IVpnBackupGroups groupStore = vpn as IVpnBackupGroups;
            Plan<BackupGroup> groupPlan = null;
            if (groupStore != null)
            {
                IReadOnlyList<BackupGroup> groups = ReadGroups(groupStore, backup);
                groupPlan = RunOrWriteError(token => VpnGroupsRestore.PlanAsync(groupStore, groups, token), connection);
                if (groupPlan == null)
                {
                    return;
                }
            }

            Plan<BackupUser> plan = RunOrWriteError(token => VpnConfigRestore.PlanAsync(vpn, users, passwords, Prune, token, reader.UserNameComparer), connection);
            if (plan == null)
            {
                return;
            }

            string planText = groupPlan == null
                ? plan.ToText()
                : $"User groups:{Environment.NewLine}{groupPlan.ToText()}{Environment.NewLine}Users:{Environment.NewLine}{plan.ToText()}";
            WriteVerbose(planText);
            string what = groupPlan == null ? "the users" : "the user groups and users";
            string action = $"Restore {what} of the backup taken {backup.Time:u}:{Environment.NewLine}{planText}{Environment.NewLine}";
            // -Force skips the confirmation that ConfirmImpact High asks for, but -WhatIf still wins.
            bool whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf") || LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            if ((!Force || whatIf) && !ShouldProcess(connection.ToString(), action))
            {
                return;
            }

            audit.RequireWritable();
            IReadOnlyList<VpnGroupRestore> groupResults = new VpnGroupRestore[0];
            if (groupPlan != null)
            {
                groupResults = RunOrWriteError(token => VpnGroupsRestore.ApplyAsync(groupStore, connection.Address, groupPlan, token), connection);
                if (groupResults == null)
                {
                    return;
                }

                foreach (VpnGroupRestore result in groupResults)
                {
                    if (result.Outcome != VpnUserOutcome.NoChange)
                    {
                        audit.Record($"group {result.GroupName}@{result.Appliance}", AuditAction, result.Outcome, result.Message ?? string.Empty);
                    }
                }
            }

            IReadOnlyList<VpnUserRestore> results = RunOrWriteError(token => VpnConfigRestore.ApplyAsync(vpn, plan, passwords, Password, token, reader.UserNameComparer), connection);
            if (results == null)
            {
                return;
            }

            // Every change is audited before anything is written: writing stops at the first
            // object once the pipeline is stopping, and a change made must still be recorded.
            foreach (VpnUserRestore result in results)
            {
                if (result.Outcome != VpnUserOutcome.NoChange)
                {
                    audit.Record($"{result.UserName}@{result.Appliance}", AuditAction, result.Outcome,
                        string.Join("; ", result.Changes ?? new string[0]) + (result.Message == null ? string.Empty : " " + result.Message));
                }
            }

            foreach (VpnGroupRestore result in groupResults)
            {
                Write(result);
            }

            foreach (VpnUserRestore result in results)
            {
                Write(result);
            }
        }

        private void Write(VpnGroupRestore result)
        {
            PSObject output = PSObject.AsPSObject(result);
            if (!result.Succeeded)
            {
                ApplianceErrorKind kind = result.ErrorKind ?? ApplianceErrorKind.Failed;
                var error = new ErrorRecord(
                    new ApplianceException(kind, $"Group '{result.GroupName}': {result.Message}"),
                    ErrorFamily + kind,
                    ErrorRecords.CategoryFor(kind),
                    result.GroupName);
                output.Properties.Add(new PSNoteProperty("ErrorRecord", error));
                WriteError(error);
            }

            WriteObject(output);
        }

        private IReadOnlyList<BackupGroup> ReadGroups(IVpnBackupGroups groupStore, ConfigBackup backup)
        {
            try
            {
                return groupStore.ReadGroups(backup);
            }
            catch (ApplianceException error)
            {
                ThrowTerminatingError(ErrorRecords.For(error, Path, ErrorFamily));
                return null;
            }
        }

        private void Write(VpnUserRestore result)
        {
            PSObject output = PSObject.AsPSObject(result);
            if (!result.Succeeded)
            {
                ApplianceErrorKind kind = result.ErrorKind ?? ApplianceErrorKind.Failed;
                var error = new ErrorRecord(
                    new ApplianceException(kind, $"User '{result.UserName}': {result.Message}"),
                    ErrorFamily + kind,
                    ErrorRecords.CategoryFor(kind),
                    result.UserName);
                output.Properties.Add(new PSNoteProperty("ErrorRecord", error));
                WriteError(error);
            }

            WriteObject(output);
        }

        private ConfigBackup ReadBackup()
        {
            string resolved = LocalPaths.Resolve(this, Path);
            try
            {
                return ConfigBackupFile.Read(resolved);
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException || error is InvalidDataException || error is FormatException)
            {
                ThrowTerminatingError(new ErrorRecord(error, "InvalidVpnBackup", ErrorCategory.InvalidData, Path));
                return null;
            }
        }

        private IReadOnlyList<BackupUser> ReadUsers(IVpnBackupReader reader, ConfigBackup backup)
        {
            if (reader == null)
            {
                ThrowTerminatingError(ErrorRecords.For(
                    new ApplianceException(ApplianceErrorKind.NotSupported, $"The {backup.Driver} driver cannot read users from its backups.", "Recreate the users with New-RoVpnUser from a list."),
                    Path,
                    ErrorFamily));
                return null;
            }

            try
            {
                return reader.ReadUsers(backup);
            }
            catch (ApplianceException error)
            {
                ThrowTerminatingError(ErrorRecords.For(error, Path, ErrorFamily));
                return null;
            }
        }
    }
}
