using System;

namespace RemoteOps.Core.Ssh
{
    /// <summary>The SSH server kept refusing to open another channel on a connection.</summary>
    public sealed class SshChannelRefusedException : Exception
    {
        /// <summary>Describes the refusal.</summary>
        public SshChannelRefusedException(string host, int attempts, int maxChannels, Exception inner)
            : base($"{host} refused to open another SSH channel on this connection {attempts} times in a row, with at most {maxChannels} open at once: its sshd allows fewer sessions per connection (MaxSessions) than that, or other channels of the account use them up.", inner)
        {
            Host = host;
            Attempts = attempts;
            MaxChannels = maxChannels;
        }

        /// <summary>The host.</summary>
        public string Host { get; }

        /// <summary>How often the channel was asked for.</summary>
        public int Attempts { get; }

        /// <summary>The most channels that were open at once on the connection.</summary>
        public int MaxChannels { get; }
    }
}
