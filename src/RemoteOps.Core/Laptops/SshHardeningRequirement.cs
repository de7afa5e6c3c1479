namespace RemoteOps.Core.Laptops
{
    /// <summary>How the laptop's SSH server must be configured, as sshd -T reports it.</summary>
    public sealed class SshHardeningRequirement
    {
        /// <summary>True when password login must be off.</summary>
        public bool NoPasswordLogin { get; set; } = true;

        /// <summary>True when root login must be off.</summary>
        public bool NoRootLogin { get; set; } = true;
    }
}
