using System;
using System.Text.RegularExpressions;
using RemoteOps.Core.Appliances;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Firewall.Smc
{
    /// <summary>
    /// How to reach a Forcepoint SMC and what to manage there: the REST basics, with the API
    /// client's authentication key as <see cref="RestConnectionOptions.Password"/> (the user
    /// name is not used), and the policy, engine and API version.
    /// </summary>
    public sealed class SmcOptions : RestConnectionOptions
    {
        private static readonly Regex Prefix = new Regex("^[A-Za-z][A-Za-z0-9_.-]{0,31}\\z", RegexOptions.CultureInvariant);
        private string apiVersion;
        private string namePrefix = "remoteops-";
        private int uploadTimeoutSeconds = 600;

        /// <summary>The SMC API version, pinned: without one the SMC SDK falls back to the lowest version the server lists.</summary>
        [DriverSetting("The SMC API version to use, as the SMC lists it at /api (for example 7.1); required.")]
        public string ApiVersion
        {
            get => apiVersion;
            set
            {
                SmcRuleFormat.ParseApiVersion(value);
                apiVersion = value;
            }
        }

        /// <summary>The firewall policy whose access rules RemoteOps manages.</summary>
        [DriverSetting("The firewall policy (fw_policy) whose access rules RemoteOps manages; required.")]
        public string PolicyName { get; set; }

        /// <summary>The engine the policy is uploaded to after a change.</summary>
        [DriverSetting("The engine (firewall or cluster) the policy is uploaded to after each change; required.")]
        public string EngineName { get; set; }

        /// <summary>The administrative domain to log in to.</summary>
        [DriverSetting("The administrative domain to log in to (default Shared Domain).")]
        public string Domain { get; set; } = "Shared Domain";

        /// <summary>The name prefix of what RemoteOps writes; rules without it are never read or changed.</summary>
        [DriverSetting("The name prefix of the rules and elements RemoteOps writes (default remoteops-); rules without it are never read or changed.")]
        public string NamePrefix
        {
            get => namePrefix;
            set
            {
                if (value == null || !Prefix.IsMatch(value))
                {
                    throw new ArgumentException($"'{value}' is not a valid name prefix: use 1-32 letters, digits, '_', '-' or '.', starting with a letter.");
                }

                namePrefix = value;
            }
        }

        /// <summary>How long to wait for the upload to the engine.</summary>
        [DriverSetting("Seconds to wait for the policy upload to the engine to finish (default 600, 10 to 3600).")]
        public int UploadTimeoutSeconds
        {
            get => uploadTimeoutSeconds;
            set
            {
                if (value < 10 || value > 3600)
                {
                    throw new ArgumentException($"{value} is not between 10 and 3600 seconds.");
                }

                uploadTimeoutSeconds = value;
            }
        }

        /// <summary>Tests: the first wait between two reads of the upload's progress.</summary>
        internal TimeSpan UploadPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

        /// <summary>Refuses missing required settings, naming them, before anything is sent.</summary>
        internal void CheckRequired()
        {
            if (string.IsNullOrEmpty(ApiVersion))
            {
                throw new ArgumentException("The ForcepointSmc driver needs -Option @{ ApiVersion = '7.1' }: pin the SMC API version (the SMC lists its versions at https://<smc>:8082/api), since without one the lowest listed version would be used.");
            }

            if (string.IsNullOrWhiteSpace(PolicyName))
            {
                throw new ArgumentException("The ForcepointSmc driver needs -Option @{ PolicyName = '<firewall policy>' }: the policy whose access rules RemoteOps manages.");
            }

            if (string.IsNullOrWhiteSpace(EngineName))
            {
                throw new ArgumentException("The ForcepointSmc driver needs -Option @{ EngineName = '<engine>' }: the engine the policy is uploaded to after a change.");
            }
        }
    }
}
