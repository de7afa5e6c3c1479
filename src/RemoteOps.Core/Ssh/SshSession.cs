using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Renci.SshNet;

namespace RemoteOps.Core.Ssh
{
    /// <summary>An authenticated connection to one host that runs commands.</summary>
    public sealed class SshSession : IDisposable
    {
        private readonly SshConnector.Connected<SshClient> connection;
        private readonly bool ownsConnection;

        internal SshSession(SshTarget target, SshConnector.Connected<SshClient> connection, bool ownsConnection = true)
        {
            Target = target;
            this.connection = connection;
            this.ownsConnection = ownsConnection;
        }

        /// <summary>The host this session is connected to.</summary>
        public SshTarget Target { get; }

        /// <summary>Why the host key was trusted.</summary>
        public HostKeyVerdict HostKeyVerdict => connection.Verdict;

        /// <summary>
        /// Connects, verifies the host key and authenticates. Throws
        /// <see cref="SshFailureException"/> with the failure classified.
        /// </summary>
        public static async Task<SshSession> ConnectAsync(SshTarget target, SshCredentials credentials, SshConnectOptions options, CancellationToken cancellationToken)
        {
            var connection = await SshConnector.ConnectAsync(target, credentials, options, info => new SshClient(info), cancellationToken).ConfigureAwait(false);
            return new SshSession(target, connection);
        }

        /// <summary>
        /// Runs a command line. The text goes to the remote shell as it is: build it with
        /// <see cref="PosixShell"/> from validated values. With <paramref name="useSudo"/> the
        /// line runs under 'sudo -n', which fails instead of prompting.
        /// </summary>
        public Task<SshCommandOutput> RunAsync(string commandLine, TimeSpan timeout, bool useSudo, CancellationToken cancellationToken)
            => RunAsync(commandLine, null, timeout, useSudo, cancellationToken);

        /// <summary>
        /// Runs a command line and writes <paramref name="standardInput"/> to it, then closes its
        /// input. Secrets (new passwords) go this way, never on a command line, where any local
        /// user could read them in the process list. A command that runs past
        /// <paramref name="timeout"/> comes back TimedOut; when <paramref name="cancellationToken"/>
        /// fires this throws. Either way the command is also ended on the host, for every login
        /// (see <see cref="RunStoppableAsync"/>).
        /// </summary>
        public async Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, TimeSpan timeout, bool useSudo, CancellationToken cancellationToken)
        {
            SshCommandOutput output = await RunWrappedAsync(commandLine, standardInput, timeout, useSudo, cancellationToken).ConfigureAwait(false);
            if (output.Cancelled)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            return output;
        }

        /// <summary>
        /// Runs a user's command line so that, when it runs past <paramref name="timeout"/> or
        /// <paramref name="cancellationToken"/> fires, it is also ended on the host, whatever the
        /// login (root included) and under sudo (see <see cref="StoppableCommandLine"/>). Such a
        /// command comes back TimedOut or Cancelled, with <see cref="SshCommandOutput.RemoteStop"/>
        /// saying whether it is gone from the host; it does not throw for the stop.
        /// </summary>
        /// <remarks>
        /// A stopped run (the token, not the time-out) does not wait for the host to confirm the
        /// end for longer than <see cref="StopConfirmWait"/>: whoever stopped it wants the
        /// pipeline back. The end goes on in the background, and the connection is kept open
        /// until it is done (see <see cref="Dispose"/>); RemoteStop.Stopped is then null.
        /// </remarks>
        public Task<SshCommandOutput> RunStoppableAsync(string commandLine, TimeSpan timeout, bool useSudo, CancellationToken cancellationToken)
            => RunWrappedAsync(commandLine, null, timeout, useSudo, cancellationToken);

        private async Task<SshCommandOutput> RunWrappedAsync(string commandLine, string standardInput, TimeSpan timeout, bool useSudo, CancellationToken cancellationToken)
        {
            RemoteCommandLine.Validate(commandLine, useSudo, stoppable: true);
            StoppableCommandLine line = StoppableCommandLine.Wrap(commandLine, useSudo);
            Encoding encoding = connection.Client.ConnectionInfo.Encoding ?? new UTF8Encoding(false);
            var output = new StringBuilder();
            var error = new StringBuilder();
            SshCommand command = connection.Client.CreateCommand(line.Text);
            Task closeAfter = null;
            TaskCompletionSource<bool> closed = null;
            try
            {
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    // No token for SSH.NET: it would send its signal request from inside Cancel(),
                    // on the stopping thread, one host after another, and wait for each reply.
                    Task execution = command.ExecuteAsync(CancellationToken.None);
                    Task pumps = Task.WhenAll(PumpAsync(command.OutputStream, encoding, output), PumpAsync(command.ExtendedOutputStream, encoding, error));
                    var stop = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                    deadline.CancelAfter(timeout);
                    using (deadline.Token.Register(() => stop.TrySetResult(true)))
                    {
                        if (standardInput != null)
                        {
                            await WriteInputAsync(command, encoding, standardInput, stop.Task).ConfigureAwait(false);
                        }

                        if (await Task.WhenAny(execution, stop.Task).ConfigureAwait(false) == execution)
                        {
                            await execution.ConfigureAwait(false);
                            await Task.WhenAny(pumps, Task.Delay(StreamDrainWait)).ConfigureAwait(false);
                            return new SshCommandOutput(command.ExitStatus, Snapshot(output), line.StripMarker(Snapshot(error)), timedOut: false);
                        }
                    }

                    bool cancelled = cancellationToken.IsCancellationRequested;
                    // SSH.NET opens the kill's channel synchronously: off this thread, so that a stop
                    // returns while the channel is still opening.
                    Task<RemoteStopOutcome> ending = Task.Run(() => EndOnHostAsync(line, execution, error));
                    RemoteStopOutcome remoteStop;
                    if (cancelled)
                    {
                        // SSH.NET's dispose of a channel waits up to a second for the host to
                        // close it, which it does only once the command is gone: a stopped
                        // command is closed after its end, off this path, and the connection is
                        // kept open until then. The process is held from exiting from now on,
                        // not only once this run returns (see RemoteStopsInFlight).
                        closeAfter = ending;
                        closed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                        KeepOpenUntil(closed.Task);
                        RemoteStopsInFlight.Track(closed.Task);
                    }

                    if (cancelled && await Task.WhenAny(ending, Task.Delay(StopConfirmWait)).ConfigureAwait(false) != ending)
                    {
                        remoteStop = new RemoteStopOutcome(null, $"Ending the command on the host was started but not confirmed within {StopConfirmWait.TotalSeconds:0.#} s, as the run was stopped; the connection stays open until it is done.");
                        return new SshCommandOutput(null, Snapshot(output), line.StripMarker(Snapshot(error)), timedOut: false, cancelled: true, remoteStop: remoteStop);
                    }

                    remoteStop = await ending.ConfigureAwait(false);

                    // The channel closes once the command is gone; what it wrote until then is kept.
                    await Task.WhenAny(Task.WhenAll(execution, pumps), Task.Delay(cancelled ? StopConfirmWait : StreamDrainWait)).ConfigureAwait(false);
                    return new SshCommandOutput(null, Snapshot(output), line.StripMarker(Snapshot(error)), timedOut: !cancelled, cancelled: cancelled, remoteStop: remoteStop);
                }
            }
            finally
            {
                if (closeAfter == null)
                {
                    command.Dispose();
                }
                else
                {
                    // On a thread of its own: the dispose may block for a second, and a stop of
                    // many hosts would otherwise take as many pool threads. Its completion is
                    // what 'closed' reports.
                    _ = closeAfter.ContinueWith(
                        ended =>
                        {
                            DisposeQuietly(command);
                            closed.TrySetResult(true);
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.LongRunning,
                        TaskScheduler.Default);
                }
            }
        }

        private static void DisposeQuietly(SshCommand command)
        {
            try
            {
                command.Dispose();
            }
            catch (Exception)
            {
                // The connection went first; the channel went with it.
            }
        }

        // Input is written while the command runs; a stop during the write ends the wait for it.
        private static async Task WriteInputAsync(SshCommand command, Encoding encoding, string standardInput, Task stopped)
        {
            Task writing = Task.Run(async () =>
            {
                using (var input = command.CreateInputStream())
                {
                    byte[] bytes = encoding.GetBytes(standardInput);
                    await input.WriteAsync(bytes, 0, bytes.Length).ConfigureAwait(false);
                }
            });
            if (await Task.WhenAny(writing, stopped).ConfigureAwait(false) == writing)
            {
                await writing.ConfigureAwait(false);
            }
        }

        /// <summary>Closes the connection, unless it is a held one lent for one use.</summary>
        /// <remarks>
        /// When a stopped command is still being ended on the host, the connection is closed
        /// once that is done (normally within a second; the end gives up after
        /// <see cref="ReportWait"/> plus <see cref="KillWait"/> and the channels' own closing),
        /// not now: closing it would leave the command running there.
        /// </remarks>
        public void Dispose()
        {
            if (!ownsConnection)
            {
                return;
            }

            Task pending;
            lock (endings)
            {
                disposed = true;
                pending = endings.Count == 0 ? null : Task.WhenAll(endings);
            }

            if (pending == null)
            {
                connection.Dispose();
            }
            else
            {
                pending.ContinueWith(_ => connection.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        private readonly System.Collections.Generic.List<Task> endings = new System.Collections.Generic.List<Task>();
        private bool disposed;

        private void KeepOpenUntil(Task ending)
        {
            if (!ownsConnection)
            {
                // A held connection lent for one use stays open with its session anyway.
                return;
            }

            lock (endings)
            {
                if (!disposed)
                {
                    // A connection kept for long (an appliance's shell) sees many stops.
                    endings.RemoveAll(done => done.IsCompleted);
                    endings.Add(ending);
                    return;
                }
            }

            // Disposed meanwhile (a held session closed under a running command): close once ended.
            ending.ContinueWith(_ => connection.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        // How long a stopped run waits for the host to confirm that its command is gone.
        private static readonly TimeSpan StopConfirmWait = TimeSpan.FromSeconds(0.5);

        private static readonly TimeSpan StreamDrainWait = TimeSpan.FromSeconds(1);

        // The wrapper reports its process group first thing; a stop right after the start may
        // come before that report does, so it is waited for (on a host busy enough that a 2 s
        // time-out passed before the wrapper had started, 2 s more were not always enough).
        private static readonly TimeSpan ReportWait = TimeSpan.FromSeconds(5);

        // TERM, a second's grace, KILL, and a check (see StoppableCommandLine), plus the round trips.
        private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(8);

        private async Task<RemoteStopOutcome> EndOnHostAsync(StoppableCommandLine line, Task execution, StringBuilder error)
        {
            string target = line.FindKillTarget(Snapshot(error));
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (target == null && !execution.IsCompleted && waited.Elapsed < ReportWait)
            {
                await Task.Delay(50).ConfigureAwait(false);
                target = line.FindKillTarget(Snapshot(error));
            }

            if (target == null)
            {
                return execution.IsCompleted
                    ? new RemoteStopOutcome(true, "The command had ended on the host by itself.")
                    : new RemoteStopOutcome(false, "The command never reported its process on the host, so it could not be ended there; it may still be running.");
            }

            string verdict;
            try
            {
                using (SshCommand kill = connection.Client.CreateCommand(line.KillLine(target)))
                using (var limit = new CancellationTokenSource(KillWait))
                {
                    Task killing = kill.ExecuteAsync(CancellationToken.None);
                    if (await Task.WhenAny(killing, Task.Delay(KillWait, limit.Token)).ConfigureAwait(false) != killing)
                    {
                        return new RemoteStopOutcome(false, $"Ending the command on the host did not answer within {KillWait.TotalSeconds:0} s; it may still be running.");
                    }

                    limit.Cancel();
                    await killing.ConfigureAwait(false);
                    verdict = (kill.Result ?? string.Empty).Trim();
                    if (verdict.Length == 0)
                    {
                        string reason = (kill.Error ?? string.Empty).Trim();
                        return new RemoteStopOutcome(false, "The command could not be ended on the host" + (reason.Length > 0 ? $" ({(reason.Length > 200 ? reason.Substring(0, 200) : reason)})" : string.Empty) + "; it may still be running.");
                    }
                }
            }
            catch (Exception failure)
            {
                return new RemoteStopOutcome(false, $"The command could not be ended on the host ({failure.Message}); it may still be running.");
            }

            string what = target.StartsWith("-", StringComparison.Ordinal) ? $"its process group {target.Substring(1)}" : $"its process {target}";
            return verdict == "gone"
                ? new RemoteStopOutcome(true, $"The command was ended on the host ({what} is gone).")
                : new RemoteStopOutcome(false, $"The command was sent TERM and KILL on the host but {what} is still there.");
        }

        // SSH.NET's output streams can only be read synchronously: ReadAsync would block a pool
        // thread per stream, two per running host, and with 64 hosts running the pool had no
        // thread left for a stop's continuations and kill channels, which then waited seconds
        // for the pool to grow. Each stream is read on a thread of its own instead.
        private static Task PumpAsync(Stream stream, Encoding encoding, StringBuilder into)
            => Task.Factory.StartNew(() => Pump(stream, encoding, into), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        private static void Pump(Stream stream, Encoding encoding, StringBuilder into)
        {
            try
            {
                using (var reader = new StreamReader(stream, encoding, false, 4096, leaveOpen: true))
                {
                    var buffer = new char[4096];
                    int read;
                    while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        lock (into)
                        {
                            into.Append(buffer, 0, read);
                        }
                    }
                }
            }
            catch (Exception)
            {
                // The command was disposed under the reader: what was read is kept.
            }
        }

        private static string Snapshot(StringBuilder text)
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }
}
