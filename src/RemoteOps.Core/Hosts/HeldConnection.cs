using System;
using System.Threading;
using System.Threading.Tasks;

namespace RemoteOps.Core.Hosts
{
    /// <summary>
    /// One connection kept open across calls and lent out to one user at a time. When the far
    /// end dropped it, the next use opens it again, once, through the same opener (so every
    /// check the first open made, host keys included, is made again) and is told so. When
    /// that reopen fails, the connection is broken for good and every later use says why.
    /// </summary>
    /// <remarks>
    /// One user at a time because a server limits the channels of one connection (OpenSSH's
    /// MaxSessions is 10 by default): callers queue for the connection instead of failing.
    /// </remarks>
    public sealed class HeldConnection<TConnection> : IDisposable
        where TConnection : class
    {
        private readonly Func<CancellationToken, Task<TConnection>> open;
        private readonly Func<TConnection, bool> isAlive;
        private readonly Action<TConnection> close;
        private readonly SemaphoreSlim turn = new SemaphoreSlim(1, 1);
        private readonly object gate = new object();
        private TConnection current;
        private Exception breakage;
        private bool everOpened;
        private HeldConnectionState state = HeldConnectionState.NotOpened;

        /// <summary>
        /// Creates a held connection that is opened on first use (or by <see cref="OpenAsync"/>).
        /// <paramref name="open"/> throws when it cannot open; <paramref name="isAlive"/> tells a
        /// dropped connection; <paramref name="close"/> must not throw.
        /// </summary>
        public HeldConnection(Func<CancellationToken, Task<TConnection>> open, Func<TConnection, bool> isAlive, Action<TConnection> close)
        {
            this.open = open ?? throw new ArgumentNullException(nameof(open));
            this.isAlive = isAlive ?? throw new ArgumentNullException(nameof(isAlive));
            this.close = close ?? throw new ArgumentNullException(nameof(close));
        }

        /// <summary>Where the connection stands.</summary>
        public HeldConnectionState State
        {
            get
            {
                lock (gate)
                {
                    return state;
                }
            }
        }

        /// <summary>The failure that broke the connection, or null.</summary>
        public Exception Breakage
        {
            get
            {
                lock (gate)
                {
                    return breakage;
                }
            }
        }

        /// <summary>Opens the connection now; what <c>open</c> throws comes through unchanged.</summary>
        public async Task OpenAsync(CancellationToken cancellationToken)
        {
            using (await AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }

        /// <summary>
        /// Waits for the connection to be free, reconnects it once if the far end dropped it, and
        /// lends it out until the lease is disposed. Throws <see cref="HeldConnectionClosedException"/>
        /// after <see cref="Close"/>, <see cref="HeldConnectionBrokenException"/> when a reconnect failed.
        /// </summary>
        public async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
        {
            await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                TConnection stale = null;
                bool reconnecting;
                lock (gate)
                {
                    ThrowIfUnusable();
                    if (current != null && isAlive(current))
                    {
                        return new Lease(this, current, opened: false, reconnected: false);
                    }

                    stale = current;
                    current = null;
                    reconnecting = everOpened;
                }

                if (stale != null)
                {
                    close(stale);
                }

                TConnection fresh;
                try
                {
                    fresh = await open(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopped by the caller: nothing is known about the far end, so nothing breaks.
                    throw;
                }
                catch (Exception error) when (reconnecting)
                {
                    lock (gate)
                    {
                        if (state != HeldConnectionState.Closed)
                        {
                            breakage = error;
                            state = HeldConnectionState.Broken;
                        }
                    }

                    throw new HeldConnectionBrokenException(error, justBroken: true);
                }

                lock (gate)
                {
                    if (state == HeldConnectionState.Closed)
                    {
                        close(fresh);
                        ThrowIfUnusable();
                    }

                    current = fresh;
                    everOpened = true;
                    state = HeldConnectionState.Opened;
                    return new Lease(this, fresh, opened: true, reconnected: reconnecting);
                }
            }
            catch (Exception)
            {
                turn.Release();
                throw;
            }
        }

        /// <summary>
        /// Closes the connection at once, also while it is lent out (the borrower's work then
        /// fails, as it would had the far end closed it). Later uses throw <see cref="HeldConnectionClosedException"/>.
        /// </summary>
        public void Close()
        {
            TConnection closing;
            lock (gate)
            {
                if (state == HeldConnectionState.Closed)
                {
                    return;
                }

                state = HeldConnectionState.Closed;
                closing = current;
                current = null;
            }

            if (closing != null)
            {
                close(closing);
            }
        }

        /// <inheritdoc />
        public void Dispose() => Close();

        private void ThrowIfUnusable()
        {
            if (state == HeldConnectionState.Closed)
            {
                throw new HeldConnectionClosedException("The held connection was closed.");
            }

            if (state == HeldConnectionState.Broken)
            {
                throw new HeldConnectionBrokenException(breakage, justBroken: false);
            }
        }

        /// <summary>The connection lent to one user; disposing it hands the connection to the next.</summary>
        public sealed class Lease : IDisposable
        {
            private HeldConnection<TConnection> owner;

            internal Lease(HeldConnection<TConnection> owner, TConnection connection, bool opened, bool reconnected)
            {
                this.owner = owner;
                Connection = connection;
                Opened = opened;
                Reconnected = reconnected;
            }

            /// <summary>The connection, for this user alone until the lease is disposed.</summary>
            public TConnection Connection { get; }

            /// <summary>True when this use opened the connection (first open or reconnect).</summary>
            public bool Opened { get; }

            /// <summary>True when the far end had dropped the connection and this use opened it again.</summary>
            public bool Reconnected { get; }

            /// <inheritdoc />
            public void Dispose()
            {
                HeldConnection<TConnection> releasing = Interlocked.Exchange(ref owner, null);
                releasing?.turn.Release();
            }
        }
    }
}
