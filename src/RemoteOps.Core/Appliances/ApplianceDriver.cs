using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// A registered driver: its name, transport, what it can do, the options type whose
    /// settings users may give, and how to open it. Adding a driver is one folder plus one of
    /// these; no cmdlet changes.
    /// </summary>
    public sealed class ApplianceDriver
    {
        private readonly Func<ApplianceConnectRequest, object, CancellationToken, Task<IAppliance>> open;

        /// <summary>Describes a driver.</summary>
        /// <param name="name">The name users pass to -Driver (letters and digits).</param>
        /// <param name="description">One line on what the driver manages and how.</param>
        /// <param name="transport">How it reaches the device.</param>
        /// <param name="capabilities">What a connection through it can do.</param>
        /// <param name="optionsType">Its options class (public, with a parameterless constructor); properties marked [DriverSetting] are the settings.</param>
        /// <param name="open">Opens a connection from the common request and the bound options.</param>
        public ApplianceDriver(string name, string description, ApplianceTransport transport, ApplianceCapabilities capabilities, Type optionsType,
            Func<ApplianceConnectRequest, object, CancellationToken, Task<IAppliance>> open)
        {
            if (string.IsNullOrEmpty(name) || !IsDriverName(name))
            {
                throw new ArgumentException($"'{name}' is not a valid driver name: use letters and digits, starting with a letter.", nameof(name));
            }

            if (optionsType == null || optionsType.GetConstructor(Type.EmptyTypes) == null)
            {
                throw new ArgumentException($"The options type of driver '{name}' needs a public parameterless constructor.", nameof(optionsType));
            }

            Name = name;
            Description = description;
            Transport = transport;
            Capabilities = capabilities;
            OptionsType = optionsType;
            this.open = open ?? throw new ArgumentNullException(nameof(open));
            Settings = DriverSettingsBinder.SettingsOf(optionsType);
        }

        /// <summary>The name users pass to -Driver.</summary>
        public string Name { get; }

        /// <summary>What the driver manages and how.</summary>
        public string Description { get; }

        /// <summary>How it reaches the device.</summary>
        public ApplianceTransport Transport { get; }

        /// <summary>What a connection through it can do.</summary>
        public ApplianceCapabilities Capabilities { get; }

        /// <summary>The options class.</summary>
        public Type OptionsType { get; }

        /// <summary>The settings users may give with -Option.</summary>
        public IReadOnlyList<DriverSetting> Settings { get; }

        /// <summary>REST: true when the driver signs in without -Credential (from a key file named in its settings).</summary>
        public bool CredentialOptional { get; set; }

        /// <summary>
        /// Checks the settings (an unknown key or a wrong type is refused, naming the valid ones)
        /// and returns the bound options, without contacting anything.
        /// </summary>
        public object BindSettings(IDictionary settings) => DriverSettingsBinder.Bind(Name, OptionsType, settings);

        /// <summary>Binds the settings, then opens a connection.</summary>
        public async Task<ApplianceConnection> ConnectAsync(ApplianceConnectRequest request, IDictionary settings, CancellationToken cancellationToken)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            object options = BindSettings(settings);
            if (Transport == ApplianceTransport.Ssh && request.Ssh == null)
            {
                throw new ArgumentException($"The {Name} driver is managed over SSH, but no SSH endpoint was given.");
            }

            IAppliance driver = await open(request, options, cancellationToken).ConfigureAwait(false);
            return new ApplianceConnection(driver);
        }

        /// <inheritdoc />
        public override string ToString() => Name;

        private static bool IsDriverName(string name)
        {
            if (!char.IsLetter(name[0]) || name[0] > 'z')
            {
                return false;
            }

            foreach (char c in name)
            {
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
