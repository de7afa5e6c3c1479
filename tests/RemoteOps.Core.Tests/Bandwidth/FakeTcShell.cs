using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Ssh;

namespace RemoteOps.Core.Tests.Bandwidth
{
    /// <summary>
    /// A Linux gateway with one interface, eth1, that answers tc and nft as the real tools did
    /// (<see cref="LinuxTcSamples"/>): nothing shaped at first, the sample policy once the
    /// sample batch and script were loaded. Records every command and its standard input.
    /// </summary>
    internal sealed class FakeTcShell : IRemoteShell
    {
        private bool batchRan;
        private bool tableLoaded;

        public string Host => "ops@gw1.lab.test:22";

        public List<(string Command, string Input)> Calls { get; } = new List<(string Command, string Input)>();

        public SshCommandOutput BatchAnswer { get; set; } = new SshCommandOutput(0, string.Empty, string.Empty, false);

        public string Table { get; set; } = LinuxTcSamples.TableAfter;

        public SshCommandOutput CheckAnswer { get; set; } = new SshCommandOutput(0, string.Empty, string.Empty, false);

        public Task<SshCommandOutput> RunAsync(string commandLine, string standardInput, CancellationToken cancellationToken)
        {
            Calls.Add((commandLine, standardInput));
            bool shaped = batchRan && tableLoaded;
            switch (commandLine)
            {
                case "tc -V": return Done(0, "tc utility, iproute2-6.1.0, libbpf 1.1.2\n");
                case "nft --version": return Done(0, "nftables v1.0.6 (Lester Gooch #5)\n");
                case "nft -j list tables": return Done(0, "{\"nftables\": []}");
                case "uname -n": return Done(0, "gw1\n");
                case "tc -j qdisc show dev eth1": return Done(0, batchRan ? LinuxTcSamples.RootAfter : LinuxTcSamples.RootBefore);
                case "tc -s class show dev eth1": return Done(0, batchRan ? LinuxTcSamples.ClassesAfter : string.Empty);
                case "nft -j list table inet remoteops_shaping":
                    return tableLoaded ? Done(0, Table) : Task.FromResult(new SshCommandOutput(1, string.Empty, LinuxTcSamples.MissingTable, false));
                case "nft -c -f -": return Task.FromResult(CheckAnswer);
                case "nft -f -":
                    tableLoaded = standardInput == LinuxTcSamples.Script;
                    return Done(0, string.Empty);
                case "tc -batch -":
                    if (BatchAnswer.ExitCode == 0)
                    {
                        batchRan = batchRan || standardInput == LinuxTcSamples.Batch;
                    }

                    return Task.FromResult(BatchAnswer);
                default:
                    return Task.FromResult(new SshCommandOutput(1, string.Empty, shaped ? "unexpected" : "Cannot find device \"" + commandLine + "\"\n", false));
            }
        }

        public Task<SshCommandOutput> RunPrivilegedAsync(IReadOnlyList<string> command, string standardInput, CancellationToken cancellationToken) =>
            RunAsync(string.Join(" ", command), standardInput, cancellationToken);

        public void Dispose()
        {
        }

        private static Task<SshCommandOutput> Done(int code, string output) => Task.FromResult(new SshCommandOutput(code, output, string.Empty, false));
    }
}
