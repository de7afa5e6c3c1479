using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Audit;

namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>Renders the unattended-install files of a laptop from a validated request.</summary>
    public static class LaptopImage
    {
        /// <summary>The file names each format writes, in the order they are written.</summary>
        public static IReadOnlyList<string> FileNames(LaptopImageFormat format)
        {
            return format == LaptopImageFormat.Autoinstall ? new[] { "user-data", "meta-data" } : new[] { "preseed.cfg" };
        }

        /// <summary>
        /// The files of the given formats by name. Validates the request first (LaptopImageValueException
        /// naming the value); <paramref name="keyLine"/> is a key checked by <see cref="ManagementSshKey.Parse"/>.
        /// </summary>
        public static IReadOnlyDictionary<string, string> Render(LaptopImageRequest request, string keyLine, IEnumerable<LaptopImageFormat> formats)
        {
            LaptopImageValidator.Validate(request);
            if (string.IsNullOrEmpty(keyLine))
            {
                throw new LaptopImageValueException("A management SSH key is required.", "ManagementSshKey");
            }

            LaptopProvisioning provisioning = LaptopProvisioning.From(request);
            string passwordHash = Sha512Crypt.Hash(SecretText.Reveal(request.UserPassword));
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (LaptopImageFormat format in (formats ?? Enumerable.Empty<LaptopImageFormat>()).Distinct())
            {
                if (format == LaptopImageFormat.Autoinstall)
                {
                    files["user-data"] = AutoinstallDocument.Render(request, provisioning, passwordHash, keyLine);

                    // The NoCloud seed needs the file, even empty; the instance id makes cloud-init
                    // treat each laptop's first boot as new.
                    files["meta-data"] = "instance-id: " + request.HostName + "\n";
                }
                else
                {
                    files["preseed.cfg"] = PreseedDocument.Render(request, provisioning, passwordHash, keyLine);
                }
            }

            return files;
        }

        /// <summary>True when the autoinstall file will hold the disk passphrase in clear.</summary>
        public static bool AutoinstallHoldsDiskPassphrase(LaptopImageRequest request)
        {
            return request?.DiskPassphrase != null && request.Baseline?.DiskEncryption?.Required == true;
        }
    }
}
