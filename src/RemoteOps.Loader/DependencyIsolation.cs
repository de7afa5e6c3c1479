using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace RemoteOps.Loader
{
    /// <summary>
    /// Keeps RemoteOps.Core and its private dependencies (SSH.NET, BouncyCastle, Newtonsoft.Json)
    /// away from whatever versions other modules already loaded into the session.
    /// </summary>
    /// <remarks>
    /// On PowerShell 7 the dependencies go into one AssemblyLoadContext of their own and only
    /// RemoteOps.Core is handed to the default context. The cmdlet assembly targets
    /// netstandard2.0 (so Windows PowerShell 5.1 can load it), where AssemblyLoadContext is not
    /// visible at compile time, hence the reflection. On Windows PowerShell 5.1 there are no load
    /// contexts: the Dependencies folder is offered through AppDomain.AssemblyResolve, and a
    /// different version loaded first by another module wins there (documented limitation).
    /// </remarks>
    internal static class DependencyIsolation
    {
        internal const string ContextName = "RemoteOps";

        // Loaded into the private context up front, so that every reference from Core binds to
        // these copies and never to a same-named assembly in the default context (PowerShell 7
        // itself ships Newtonsoft.Json, and another module may have loaded an older SSH.NET).
        private static readonly string[] PrivateAssemblies =
        {
            "RemoteOps.Core",
            "Renci.SshNet",
            "Newtonsoft.Json",
            "BouncyCastle.Cryptography",
            "Microsoft.Extensions.Logging.Abstractions",
            "Microsoft.Extensions.DependencyInjection.Abstractions",
        };

        private static readonly object Gate = new object();

        // Imports not yet removed, in every runspace of the process: the resolvers are
        // process-wide, so removing the module from one runspace must not take them away from
        // the others, which would then fail to load RemoteOps.Core.
        private static int imports;
        private static bool installed;
        private static string dependencyFolder;
        private static object privateContext;
        private static Assembly coreAssembly;
        private static Delegate defaultResolvingHandler;
        private static Delegate privateResolvingHandler;
        private static ResolveEventHandler appDomainHandler;

        internal static object PrivateContext => privateContext;

        internal static void Install()
        {
            lock (Gate)
            {
                imports++;
                if (installed)
                {
                    return;
                }

                dependencyFolder = Path.Combine(
                    Path.GetDirectoryName(typeof(DependencyIsolation).Assembly.Location),
                    "Dependencies");

                Type contextType = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
                if (contextType != null)
                {
                    InstallLoadContext(contextType);
                }
                else
                {
                    appDomainHandler = ResolveFromDependencyFolder;
                    AppDomain.CurrentDomain.AssemblyResolve += appDomainHandler;
                }

                installed = true;
            }
        }

        internal static void Uninstall()
        {
            lock (Gate)
            {
                imports = Math.Max(0, imports - 1);
                if (!installed || imports > 0)
                {
                    return;
                }

                if (appDomainHandler != null)
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= appDomainHandler;
                    appDomainHandler = null;
                }

                if (defaultResolvingHandler != null)
                {
                    Type contextType = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
                    object defaultContext = contextType.GetProperty("Default").GetValue(null);
                    contextType.GetEvent("Resolving").RemoveEventHandler(defaultContext, defaultResolvingHandler);
                    defaultResolvingHandler = null;
                }

                // The private context and its assemblies stay: types from it may still be held
                // by objects in the session, and a re-import binds to the same copies.
                installed = false;
            }
        }

        private static void InstallLoadContext(Type contextType)
        {
            if (privateContext == null)
            {
                privateContext = Activator.CreateInstance(contextType, ContextName, false);
                MethodInfo loadFromPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
                var frameworkNames = FrameworkAssemblyNames();
                foreach (string name in PrivateAssemblies)
                {
                    string path = Path.Combine(dependencyFolder, name + ".dll");
                    if (!File.Exists(path) || frameworkNames.Contains(name))
                    {
                        continue;
                    }

                    var assembly = (Assembly)loadFromPath.Invoke(privateContext, new object[] { path });
                    if (name == "RemoteOps.Core")
                    {
                        coreAssembly = assembly;
                    }
                }

                EventInfo privateResolving = contextType.GetEvent("Resolving");
                privateResolvingHandler = CreateResolvingHandler(privateResolving, nameof(ResolveInPrivateContext));
                privateResolving.AddEventHandler(privateContext, privateResolvingHandler);
            }

            object defaultContext = contextType.GetProperty("Default").GetValue(null);
            EventInfo resolving = contextType.GetEvent("Resolving");
            defaultResolvingHandler = CreateResolvingHandler(resolving, nameof(ResolveCoreForDefaultContext));
            resolving.AddEventHandler(defaultContext, defaultResolvingHandler);
        }

        private static Delegate CreateResolvingHandler(EventInfo resolving, string methodName)
        {
            MethodInfo method = typeof(DependencyIsolation).GetMethod(methodName, BindingFlags.NonPublic | BindingFlags.Static);
            return Delegate.CreateDelegate(resolving.EventHandlerType, method);
        }

        // Only the cmdlet assembly's own reference to Core is answered; everything else in the
        // default context is none of this module's business.
        private static Assembly ResolveCoreForDefaultContext(object context, AssemblyName name)
        {
            return string.Equals(name.Name, "RemoteOps.Core", StringComparison.Ordinal) ? coreAssembly : null;
        }

        // A dependency that is neither preloaded nor in the runtime (for example a netstandard
        // shim the runtime lacks) is still served from the module's own folder.
        private static Assembly ResolveInPrivateContext(object context, AssemblyName name)
        {
            string path = Path.Combine(dependencyFolder, name.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            MethodInfo loadFromPath = context.GetType().GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
            return (Assembly)loadFromPath.Invoke(context, new object[] { path });
        }

        private static Assembly ResolveFromDependencyFolder(object sender, ResolveEventArgs args)
        {
            string simpleName = new AssemblyName(args.Name).Name;
            string path = Path.Combine(dependencyFolder, simpleName + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }

        // Assemblies the runtime itself provides are better served by the runtime than by the
        // netstandard2.0 shims kept for Windows PowerShell 5.1.
        private static HashSet<string> FrameworkAssemblyNames()
        {
            string frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location);
            return new HashSet<string>(
                Directory.EnumerateFiles(frameworkFolder, "*.dll").Select(Path.GetFileNameWithoutExtension),
                StringComparer.OrdinalIgnoreCase);
        }
    }
}
