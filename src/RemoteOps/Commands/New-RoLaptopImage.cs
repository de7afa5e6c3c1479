using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text;
using RemoteOps.Core.Audit;
using RemoteOps.Core.Laptops;
using RemoteOps.Core.Laptops.Images;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Writes the unattended-install files (Ubuntu autoinstall, Debian preseed) of a laptop that meets a baseline.</summary>
    [Cmdlet(VerbsCommon.New, "RoLaptopImage", HelpUri = HelpLinks.CmdletReference + "New-RoLaptopImage.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class NewRoLaptopImageCommand : PSCmdlet
    {
        /// <summary>The folder the files are written to; created when missing.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>
        /// The baseline the installed laptop must meet: the path of a .json or .psd1 baseline file,
        /// a hashtable with its keys, or a LaptopBaseline, read and checked as Test-RoLaptopCompliance
        /// reads its -Baseline.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object Baseline { get; set; }

        /// <summary>The first user (gets sudo); only the password's SHA-512 crypt hash is written.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNull]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>The management public key file (.pub), put in the first user's authorized_keys.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string ManagementSshKey { get; set; }

        /// <summary>The https address the laptop posts itself to at first boot.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNull]
        public Uri EnrollmentUri { get; set; }

        /// <summary>The bearer token of the enrolment call.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNull]
        [SecureStringOnly]
        public SecureString EnrollmentToken { get; set; }

        /// <summary>The LUKS passphrase written into the autoinstall file; without it the Ubuntu installer asks.</summary>
        [Parameter]
        [SecureStringOnly]
        public SecureString DiskPassphrase { get; set; }

        /// <summary>The laptop's host name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; } = "laptop";

        /// <summary>Which files to write: Autoinstall, Preseed or both (the default).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public LaptopImageFormat[] Format { get; set; } = { LaptopImageFormat.Autoinstall, LaptopImageFormat.Preseed };

        /// <summary>Replace files that exist.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            LaptopBaseline baseline = LaptopBaselineInput.Load(this, Baseline);
            string folder = LocalPaths.Resolve(this, Path);
            string keyLine = ReadManagementKey();
            var request = new LaptopImageRequest
            {
                Baseline = baseline,
                HostName = HostName,
                UserName = Credential.UserName,
                UserPassword = Credential.Password,
                ManagementSshKey = keyLine,
                EnrollmentUri = EnrollmentUri,
                EnrollmentToken = EnrollmentToken,
                DiskPassphrase = DiskPassphrase,
            };

            IReadOnlyDictionary<string, string> files = null;
            try
            {
                files = LaptopImage.Render(request, keyLine, Format);
            }
            catch (LaptopImageValueException bad)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("InvalidLaptopImageValue", bad.Message, bad.ParameterName ?? "Baseline", bad));
            }

            // Every file is checked before the first is written, so a refusal leaves the folder as it was.
            var targets = files.Keys.Select(name => System.IO.Path.Combine(folder, name)).ToList();
            string existing = targets.FirstOrDefault(File.Exists);
            if (existing != null && !Force)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new IOException($"The file '{existing}' exists. Use -Force to replace it, or give another -Path."),
                    "LaptopImageFileExists",
                    ErrorCategory.ResourceExists,
                    existing));
            }

            DiskEncryptionRequirement disk = baseline.DiskEncryption;
            if (disk != null && disk.Required && (disk.LuksVersion != null || disk.Cipher != null))
            {
                WriteWarning("The baseline names a LUKS version or cipher, which neither installer lets an install file choose: the laptops get the installer's default. Test-RoLaptopCompliance reports whether that meets the baseline.");
            }

            if (Format.Contains(LaptopImageFormat.Autoinstall))
            {
                WriteWarning(LaptopImage.AutoinstallHoldsDiskPassphrase(request)
                    ? "The autoinstall file holds the disk passphrase in clear (autoinstall has no other way to take it) and the enrolment token: keep user-data where only the people who may unlock these laptops can read it, or leave out -DiskPassphrase to have the installer ask for it."
                    : "The install files hold the enrolment token (the laptop must present it): keep them private and use a token that expires.");
            }
            else
            {
                WriteWarning("The preseed holds the enrolment token (the laptop must present it): keep it private and use a token that expires.");
            }

            foreach (KeyValuePair<string, string> file in files)
            {
                string target = System.IO.Path.Combine(folder, file.Key);
                if (!ShouldProcess(target, "Write the laptop install file " + file.Key))
                {
                    continue;
                }

                try
                {
                    WriteOwnerOnly(folder, target, file.Value);
                }
                catch (Exception error) when (error is IOException || error is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(new ErrorRecord(error, "LaptopImageWriteFailed", ErrorCategory.WriteError, target));
                }

                WriteObject(new FileInfo(target));
            }
        }

        private string ReadManagementKey()
        {
            string keyPath = LocalPaths.Resolve(this, ManagementSshKey);
            if (!File.Exists(keyPath))
            {
                ThrowTerminatingError(ArgumentErrors.Invalid(
                    "KeyFileNotFound",
                    $"The management key file '{ManagementSshKey}' does not exist. Pass the path of a public key, for example ~/.ssh/id_ed25519.pub.",
                    ManagementSshKey));
            }

            try
            {
                return Core.Laptops.Images.ManagementSshKey.Parse(File.ReadAllText(keyPath), ManagementSshKey);
            }
            catch (ArgumentException bad)
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("InvalidManagementSshKey", bad.Message, ManagementSshKey));
                return null;
            }
        }

        // The files can hold the enrolment token and, by choice, the disk passphrase: they are made
        // readable by their owner only, and appear whole or not at all.
        private static void WriteOwnerOnly(string folder, string target, string content)
        {
            Directory.CreateDirectory(folder);
            string temporary = target + ".tmp-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(temporary, content, new UTF8Encoding(false));
            OwnerOnlyPermissions.TryApplyToFile(temporary);
            if (File.Exists(target))
            {
                File.Delete(target);
            }

            File.Move(temporary, target);
        }
    }
}
