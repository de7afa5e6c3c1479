using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using RemoteOps.Core.Appliances;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// The appliance connections opened in one runspace. A cmdlet without -Connection uses the
    /// most recent open one that has the capability it needs, so a VPN cmdlet is not handed the
    /// firewall that was connected last. Each runspace has its own list, so jobs and parallel
    /// runbooks never share a connection by accident; a runspace's connections are closed when
    /// it closes.
    /// </summary>
    internal sealed class ApplianceConnections
    {
        private static readonly ConditionalWeakTable<Runspace, ApplianceConnections> PerRunspace = new ConditionalWeakTable<Runspace, ApplianceConnections>();
        private readonly object gate = new object();
        private readonly List<ApplianceConnection> open = new List<ApplianceConnection>();

        // Opened with -NotDefault: never picked without -Connection, but closed with the runspace all the same.
        private readonly List<ApplianceConnection> notDefault = new List<ApplianceConnection>();

        /// <summary>The list of the runspace the cmdlet runs in.</summary>
        internal static ApplianceConnections Of(PSCmdlet cmdlet)
        {
            Runspace runspace = Runspace.DefaultRunspace;
            if (runspace == null)
            {
                throw new InvalidOperationException("RemoteOps appliance connections need a PowerShell runspace.");
            }

            return PerRunspace.GetValue(runspace, Create);
        }

        /// <summary>Closes the connections of the runspace the module is removed from.</summary>
        internal static void CloseInCurrentRunspace()
        {
            Runspace runspace = Runspace.DefaultRunspace;
            if (runspace != null && PerRunspace.TryGetValue(runspace, out ApplianceConnections connections))
            {
                connections.CloseAll();
            }
        }

        /// <summary>
        /// The connection a cmdlet works on: -Connection, else the newest open one of the
        /// runspace with the capability. Stops the cmdlet with an error that says what to do when
        /// there is none, when it was closed, or when it lacks the capability.
        /// </summary>
        /// <param name="cmdlet">The cmdlet.</param>
        /// <param name="given">The -Connection value, or null.</param>
        /// <param name="capability">What the cmdlet needs.</param>
        /// <param name="family">The error-id family ("Vpn" gives NoVpnConnection, VpnConnectionClosed).</param>
        internal static ApplianceConnection Resolve(PSCmdlet cmdlet, ApplianceConnection given, ApplianceCapabilities capability, string family)
        {
            ApplianceConnection connection = given ?? Of(cmdlet).Newest(capability);
            if (connection == null)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"No open appliance connection in this session offers {capability}: run Connect-RoAppliance first, or pass -Connection."),
                    "No" + family + "Connection",
                    ErrorCategory.ConnectionError,
                    null));
            }

            if (!connection.IsOpen)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"The connection to {connection} was closed by Disconnect-RoAppliance; connect again."),
                    family + "ConnectionClosed",
                    ErrorCategory.ConnectionError,
                    connection));
            }

            if (!connection.Has(capability))
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException($"{connection} does not offer {capability}; it offers {connection.Capabilities}. Pass -Connection with a connection to a device that does."),
                    family + "NotSupported",
                    ErrorCategory.InvalidArgument,
                    connection));
            }

            return connection;
        }

        /// <summary>Makes a connection the newest of the runspace (used when no -Connection is given).</summary>
        internal void Add(ApplianceConnection connection)
        {
            lock (gate)
            {
                open.Remove(connection);
                open.Add(connection);
            }
        }

        /// <summary>Keeps a -NotDefault connection only to close it with the runspace; no cmdlet picks it by itself.</summary>
        internal void AddNotDefault(ApplianceConnection connection)
        {
            lock (gate)
            {
                notDefault.RemoveAll(c => !c.IsOpen);
                notDefault.Add(connection);
            }
        }

        /// <summary>Forgets a connection (it was closed).</summary>
        internal void Remove(ApplianceConnection connection)
        {
            lock (gate)
            {
                open.Remove(connection);
                notDefault.Remove(connection);
            }
        }

        /// <summary>Open connections, oldest first.</summary>
        internal IReadOnlyList<ApplianceConnection> All
        {
            get
            {
                lock (gate)
                {
                    open.RemoveAll(c => !c.IsOpen);
                    return open.ToList();
                }
            }
        }

        /// <summary>The newest open connection with the capability, or null.</summary>
        internal ApplianceConnection Newest(ApplianceCapabilities capability) => All.LastOrDefault(c => c.Has(capability));

        /// <summary>Closes and forgets every connection.</summary>
        internal void CloseAll()
        {
            List<ApplianceConnection> closing;
            lock (gate)
            {
                closing = open.Concat(notDefault).ToList();
                open.Clear();
                notDefault.Clear();
            }

            foreach (ApplianceConnection connection in closing)
            {
                connection.Dispose();
            }
        }

        private static ApplianceConnections Create(Runspace runspace)
        {
            var connections = new ApplianceConnections();
            runspace.StateChanged += (sender, e) =>
            {
                if (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken)
                {
                    connections.CloseAll();
                }
            };
            return connections;
        }
    }
}
