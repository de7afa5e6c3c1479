using System;
using System.IO;

namespace RemoteOps.Core.Tests.TestSupport
{
    /// <summary>The checkout the tests were built from, for tests that read the sources themselves.</summary>
    internal static class RepositoryFolder
    {
        public static string Root()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "RemoteOps.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("RemoteOps.sln was not found above " + AppContext.BaseDirectory);
        }
    }
}
