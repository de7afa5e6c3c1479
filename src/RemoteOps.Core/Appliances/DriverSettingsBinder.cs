using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// Turns the -Option table a user typed into a driver's typed options, refusing an unknown
    /// key or a value of the wrong type before anything is contacted, with a message that names
    /// the key, the driver and what would be valid.
    /// </summary>
    public static class DriverSettingsBinder
    {
        /// <summary>The settings an options type declares, in name order.</summary>
        public static IReadOnlyList<DriverSetting> SettingsOf(Type optionsType)
        {
            object defaults = Activator.CreateInstance(optionsType);
            return SettingProperties(optionsType)
                .Select(p => new DriverSetting(p.Name, p.PropertyType, p.GetValue(defaults), p.GetCustomAttribute<DriverSettingAttribute>().Description))
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>A new options object of <paramref name="optionsType"/> with the given settings applied.</summary>
        /// <exception cref="ArgumentException">A key is unknown, a value has the wrong type, or the options refuse a value.</exception>
        public static object Bind(string driverName, Type optionsType, IDictionary values)
        {
            object options = Activator.CreateInstance(optionsType);
            if (values == null)
            {
                return options;
            }

            Dictionary<string, PropertyInfo> properties = SettingProperties(optionsType).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in values)
            {
                string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
                if (!properties.TryGetValue(key ?? string.Empty, out PropertyInfo property))
                {
                    throw new ArgumentException(
                        $"'{key}' is not a setting of the {driverName} driver. Valid settings: {ValidList(properties.Values)}.");
                }

                object value = ConvertValue(driverName, property, entry.Value);
                try
                {
                    property.SetValue(options, value);
                }
                catch (TargetInvocationException error) when (error.InnerException is ArgumentException refused)
                {
                    throw new ArgumentException($"Setting '{property.Name}' of the {driverName} driver: {refused.Message}", refused);
                }
            }

            return options;
        }

        internal static string TypeName(Type type)
        {
            if (type == typeof(string))
            {
                return "string";
            }

            if (type == typeof(int))
            {
                return "int";
            }

            if (type == typeof(bool))
            {
                return "bool";
            }

            if (type == typeof(string[]))
            {
                return "string[]";
            }

            return type.Name;
        }

        private static IEnumerable<PropertyInfo> SettingProperties(Type optionsType) =>
            optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && p.GetCustomAttribute<DriverSettingAttribute>() != null);

        private static string ValidList(IEnumerable<PropertyInfo> properties)
        {
            var names = properties.Select(p => $"{p.Name} ({TypeName(p.PropertyType)})").OrderBy(n => n, StringComparer.Ordinal).ToList();
            return names.Count == 0 ? "none (this driver takes no -Option)" : string.Join(", ", names);
        }

        private static object ConvertValue(string driverName, PropertyInfo property, object value)
        {
            Type type = property.PropertyType;
            string wrongType = $"Setting '{property.Name}' of the {driverName} driver must be {Article(TypeName(type))}, not {Describe(value)}.";
            if (value == null)
            {
                throw new ArgumentException(wrongType);
            }

            if (type.IsInstanceOfType(value))
            {
                return value;
            }

            if (type == typeof(int))
            {
                // Whole numbers arrive as int, long or decimal from a PowerShell hashtable; strings are not numbers.
                if (value is long || value is short || value is byte || value is decimal || value is double)
                {
                    decimal number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                    if (number == decimal.Truncate(number) && number >= int.MinValue && number <= int.MaxValue)
                    {
                        return (int)number;
                    }
                }

                throw new ArgumentException(wrongType);
            }

            if (type == typeof(string[]))
            {
                if (value is string single)
                {
                    return new[] { single };
                }

                if (value is IEnumerable many && many.Cast<object>().All(item => item is string))
                {
                    return many.Cast<string>().ToArray();
                }
            }

            throw new ArgumentException(wrongType);
        }

        private static string Article(string typeName) => (typeName.Length > 0 && "aeiou".IndexOf(char.ToLowerInvariant(typeName[0])) >= 0 ? "an " : "a ") + typeName;

        // Only the type is named: a value typed into the wrong key could be something private.
        private static string Describe(object value) => value == null ? "null" : Article(TypeName(value.GetType()));
    }
}
