using System;
using System.Collections.Generic;
using System.Linq;

namespace RemoteOps.Core.Appliances
{
    /// <summary>The drivers Connect-RoAppliance can open, looked up by name (case-insensitive).</summary>
    public sealed class ApplianceDriverRegistry
    {
        private readonly object gate = new object();
        private readonly Dictionary<string, ApplianceDriver> drivers = new Dictionary<string, ApplianceDriver>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Adds a driver; a second driver of the same name is refused.</summary>
        public void Register(ApplianceDriver driver)
        {
            if (driver == null)
            {
                throw new ArgumentNullException(nameof(driver));
            }

            lock (gate)
            {
                if (drivers.ContainsKey(driver.Name))
                {
                    throw new ArgumentException($"A driver named '{driver.Name}' is already registered.", nameof(driver));
                }

                drivers.Add(driver.Name, driver);
            }
        }

        /// <summary>Every registered driver, in name order.</summary>
        public IReadOnlyList<ApplianceDriver> All
        {
            get
            {
                lock (gate)
                {
                    return drivers.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
                }
            }
        }

        /// <summary>The driver of that name.</summary>
        /// <exception cref="ArgumentException">No driver has that name; the message lists those that do exist.</exception>
        public ApplianceDriver Get(string name)
        {
            lock (gate)
            {
                if (name != null && drivers.TryGetValue(name, out ApplianceDriver driver))
                {
                    return driver;
                }
            }

            throw new ArgumentException($"'{name}' is not a RemoteOps driver. Valid drivers: {string.Join(", ", All.Select(d => d.Name))}.");
        }
    }
}
