using System;
using System.Threading;
using System.Threading.Tasks;
using Renci.SshNet.Common;

namespace RemoteOps.Core.Ssh
{
    /// <summary>
    /// Bounds how many channels one SSH connection has open at once, and opens a channel again
    /// when the server refused it.
    /// </summary>
    /// <remarks>
    /// Every command is a channel, and OpenSSH allows at most MaxSessions (10 by default) open
    /// channels per connection: a driver that runs more commands at once than that on one
    /// connection sees some of them refused. The bound keeps below the default; the retry covers
    /// servers set lower. Retrying is safe because a refused channel never ran its command.
    /// </remarks>
    public sealed class SshChannelGate : IDisposable
    {
        /// <summary>Below OpenSSH's default MaxSessions of 10, leaving room for the account's other channels.</summary>
        public const int DefaultMaxChannels = 8;

        /// <summary>Tries to open a channel before giving up (the first one included).</summary>
        public const int DefaultOpenAttempts = 6;

        private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(50);
        private static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(1);

        private readonly SemaphoreSlim slots;
        private readonly Func<TimeSpan, CancellationToken, Task> delay;

        /// <summary>A gate of <paramref name="maxChannels"/> channels at once.</summary>
        public SshChannelGate(int maxChannels = DefaultMaxChannels, int openAttempts = DefaultOpenAttempts)
            : this(maxChannels, openAttempts, Task.Delay)
        {
        }

        /// <summary>For tests: <paramref name="delay"/> waits out a back-off.</summary>
        internal SshChannelGate(int maxChannels, int openAttempts, Func<TimeSpan, CancellationToken, Task> delay)
        {
            if (maxChannels < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxChannels), maxChannels, "At least one channel at a time is needed.");
            }

            if (openAttempts < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(openAttempts), openAttempts, "At least one attempt is needed.");
            }

            MaxChannels = maxChannels;
            OpenAttempts = openAttempts;
            this.delay = delay ?? throw new ArgumentNullException(nameof(delay));
            slots = new SemaphoreSlim(maxChannels, maxChannels);
        }

        /// <summary>The most channels open at once.</summary>
        public int MaxChannels { get; }

        /// <summary>How often a refused channel is asked for before the refusal is reported.</summary>
        public int OpenAttempts { get; }

        /// <summary>
        /// Waits for a free slot, then runs <paramref name="useChannel"/> (which opens one channel
        /// and uses it), again after a short back-off while the server refuses the channel.
        /// Throws <see cref="SshChannelRefusedException"/> when every attempt was refused.
        /// </summary>
        public async Task<T> RunAsync<T>(string host, Func<CancellationToken, Task<T>> useChannel, CancellationToken cancellationToken)
        {
            if (useChannel == null)
            {
                throw new ArgumentNullException(nameof(useChannel));
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await useChannel(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception error) when (IsRefusedChannelOpen(error))
                    {
                        if (attempt >= OpenAttempts)
                        {
                            throw new SshChannelRefusedException(host, attempt, MaxChannels, error);
                        }
                    }

                    await delay(BackOff(attempt), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                slots.Release();
            }
        }

        /// <inheritdoc />
        public void Dispose() => slots.Dispose();

        /// <summary>50 ms after the first refusal, doubling, at most one second.</summary>
        internal static TimeSpan BackOff(int attempt)
        {
            double milliseconds = FirstBackOff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 10));
            return TimeSpan.FromMilliseconds(Math.Min(milliseconds, LongestBackOff.TotalMilliseconds));
        }

        /// <summary>
        /// SSH.NET's answer to SSH_MSG_CHANNEL_OPEN_FAILURE: the server refused the channel (for
        /// OpenSSH: MaxSessions reached), and nothing ran.
        /// </summary>
        internal static bool IsRefusedChannelOpen(Exception error)
            => error is SshException && !(error is SshConnectionException)
                && error.Message.StartsWith("Failed to open a channel", StringComparison.Ordinal);
    }
}
