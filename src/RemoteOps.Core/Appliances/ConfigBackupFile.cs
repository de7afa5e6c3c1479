using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// The backup file Export-RoVpnConfig writes: JSON with the driver, appliance, time and one
    /// text section per configuration part, so two backups can be compared line by line.
    /// </summary>
    public static class ConfigBackupFile
    {
        private const int FormatVersion = 1;

        /// <summary>Writes a backup; the file is written under a temporary name and moved into place.</summary>
        public static void Write(ConfigBackup backup, string path)
        {
            var sections = new JObject();
            foreach (var section in backup.Sections)
            {
                sections[section.Key] = section.Value;
            }

            var json = new JObject
            {
                ["remoteOpsVpnBackup"] = FormatVersion,
                ["driver"] = backup.Driver,
                ["appliance"] = backup.Appliance,
                ["time"] = backup.Time.ToString("o"),
                ["sections"] = sections,
            };
            string directory = Path.GetDirectoryName(Path.GetFullPath(path));
            Directory.CreateDirectory(directory);
            string temporary = path + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            // A backup describes the appliance's security set-up: readable by its owner only.
            File.WriteAllText(temporary, string.Empty);
            Audit.OwnerOnlyPermissions.TryApplyToFile(temporary);
            File.WriteAllText(temporary, json.ToString(Formatting.Indented), new UTF8Encoding(false));
            if (File.Exists(path))
            {
                File.Replace(temporary, path, null);
            }
            else
            {
                File.Move(temporary, path);
            }
        }

        /// <summary>Reads a backup, with an error naming the file when it is not one.</summary>
        public static ConfigBackup Read(string path)
        {
            JObject json;
            try
            {
                json = JObject.Parse(File.ReadAllText(path));
            }
            catch (JsonException error)
            {
                throw new InvalidDataException($"'{path}' is not a RemoteOps VPN backup (not JSON: {error.Message}). Make backups with Export-RoVpnConfig.", error);
            }

            if (json["remoteOpsVpnBackup"]?.Type != JTokenType.Integer || !(json["sections"] is JObject sections))
            {
                throw new InvalidDataException($"'{path}' is not a RemoteOps VPN backup. Make backups with Export-RoVpnConfig.");
            }

            try
            {
                var backup = new ConfigBackup
                {
                    Driver = (string)json["driver"],
                    Appliance = (string)json["appliance"],
                    Time = DateTimeOffset.Parse((string)json["time"], System.Globalization.CultureInfo.InvariantCulture),
                };
                foreach (var property in sections.Properties())
                {
                    backup.Sections[property.Name] = (string)property.Value;
                }

                return backup;
            }
            catch (Exception error) when (error is ArgumentException || error is FormatException)
            {
                throw new InvalidDataException($"'{path}' is a damaged RemoteOps VPN backup ({error.Message}). Make backups with Export-RoVpnConfig.", error);
            }
        }
    }
}
