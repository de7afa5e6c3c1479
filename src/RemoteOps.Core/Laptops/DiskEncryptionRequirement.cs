namespace RemoteOps.Core.Laptops
{
    /// <summary>LUKS on the root and swap devices, as /etc/crypttab and lsblk show them.</summary>
    public sealed class DiskEncryptionRequirement
    {
        /// <summary>True when root and swap must be encrypted.</summary>
        public bool Required { get; set; } = true;

        /// <summary>The LUKS header version required (1 or 2), or null for either.</summary>
        public int? LuksVersion { get; set; }

        /// <summary>The cipher required as luksDump names it ("aes-xts-plain64"), or null for any.</summary>
        public string Cipher { get; set; }
    }
}
