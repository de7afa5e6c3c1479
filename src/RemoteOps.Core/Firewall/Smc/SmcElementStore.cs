using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using RemoteOps.Core.Errors;
using RemoteOps.Core.Rest;

namespace RemoteOps.Core.Firewall.Smc
{
    /// <summary>
    /// Finds or creates the elements rules refer to, for one change. Elements are looked up by
    /// name before one is created (one search per element type finds every element of
    /// RemoteOps's prefix); a found element whose value someone changed is put back. Each element
    /// is settled once per change, however many rules use it.
    /// </summary>
    internal sealed class SmcElementStore
    {
        private readonly SmcFirewall firewall;
        private readonly string prefix;
        private readonly CancellationToken cancellationToken;
        private readonly ConcurrentDictionary<string, Task<Dictionary<string, string>>> byType = new ConcurrentDictionary<string, Task<Dictionary<string, string>>>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Task<string>> settled = new ConcurrentDictionary<string, Task<string>>(StringComparer.Ordinal);

        internal SmcElementStore(SmcFirewall firewall, string prefix, CancellationToken cancellationToken)
        {
            this.firewall = firewall;
            this.prefix = prefix;
            this.cancellationToken = cancellationToken;
        }

        /// <summary>The href of the element, found or created.</summary>
        internal Task<string> EnsureAsync(SmcElement element) => settled.GetOrAdd(element.Type + "/" + element.Name, _ => EnsureCoreAsync(element));

        /// <summary>Creates the element (POST to its type's entry point); the new href comes back in Location.</summary>
        internal async Task<string> CreateAsync(SmcElement element)
        {
            RestClient client = firewall.Rest;
            RestResponse response = await client.SendAsync(HttpMethod.Post, firewall.Local(firewall.EntryPoint(element.Type)), element.Body, cancellationToken,
                async token => await FindExactAsync(element, token).ConfigureAwait(false) == null).ConfigureAwait(false);
            client.EnsureSuccess(response, $"Creating the {element}");
            return response.Header("Location")
                ?? await FindExactAsync(element, cancellationToken).ConfigureAwait(false)
                ?? throw new ApplianceException(ApplianceErrorKind.Failed, $"The SMC at {client.BaseAddress} created the {element} without saying where.");
        }

        private async Task<string> EnsureCoreAsync(SmcElement element)
        {
            Dictionary<string, string> known = await byType.GetOrAdd(element.Type, SearchAsync).ConfigureAwait(false);
            if (!known.TryGetValue(element.Name, out string href))
            {
                return await CreateAsync(element).ConfigureAwait(false);
            }

            RestResponse read = await firewall.Rest.SendAsync(HttpMethod.Get, firewall.Local(href), null, cancellationToken).ConfigureAwait(false);
            if (read.Code == 404)
            {
                return await CreateAsync(element).ConfigureAwait(false);
            }

            firewall.Rest.EnsureSuccess(read, $"Reading the {element}");
            if (!element.HasSameValue(read.Json as JObject))
            {
                await firewall.WriteConditionalAsync(HttpMethod.Put, href, element.Body, read.Header("ETag"), $"Putting back the value of the {element}", cancellationToken).ConfigureAwait(false);
            }

            return href;
        }

        // A "contains" search on the prefix; names with '-' are matched on name and comment only (smc/base/collection.py).
        private async Task<Dictionary<string, string>> SearchAsync(string type)
        {
            RestResponse search = await firewall.Rest.SendAsync(HttpMethod.Get, firewall.Local(firewall.EntryPoint(type) + "?filter=" + Uri.EscapeDataString(prefix)), null, cancellationToken).ConfigureAwait(false);
            firewall.Rest.EnsureSuccess(search, $"Searching the {type} elements");
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (JToken item in SmcFirewall.Results(search))
            {
                string name = (string)item["name"];
                if (name != null && name.StartsWith(prefix, StringComparison.Ordinal) && !found.ContainsKey(name))
                {
                    found[name] = (string)item["href"];
                }
            }

            return found;
        }

        private async Task<string> FindExactAsync(SmcElement element, CancellationToken token)
        {
            RestResponse search = await firewall.Rest.SendAsync(HttpMethod.Get,
                firewall.Local(firewall.EntryPoint(element.Type) + "?filter=" + Uri.EscapeDataString(element.Name) + "&exact_match=True"), null, token).ConfigureAwait(false);
            firewall.Rest.EnsureSuccess(search, $"Looking for the {element}");
            return SmcFirewall.Results(search).Where(r => (string)r["name"] == element.Name).Select(r => (string)r["href"]).FirstOrDefault();
        }
    }
}
