namespace RemoteOps.Core.Laptops.Images
{
    /// <summary>A file the install writes onto the laptop's disk.</summary>
    public sealed class TargetFile
    {
        /// <summary>Creates a file description.</summary>
        public TargetFile(string path, string mode, string content, string purpose)
        {
            Path = path;
            Mode = mode;
            Content = content;
            Purpose = purpose;
        }

        /// <summary>The absolute path on the installed system.</summary>
        public string Path { get; }

        /// <summary>The octal mode, such as "0600".</summary>
        public string Mode { get; }

        /// <summary>The file's text.</summary>
        public string Content { get; }

        /// <summary>What the file is for, written as a comment beside the command that writes it.</summary>
        public string Purpose { get; }
    }
}
