using System;
using System.Management.Automation;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Laptops;
using RemoteOps.Core.Ssh;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Checks Linux laptops against a baseline over SSH, in parallel: one result per laptop and check.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "RoLaptopCompliance", HelpUri = HelpLinks.CmdletReference + "Test-RoLaptopCompliance.md", DefaultParameterSetName = SessionSet)]
    [OutputType(typeof(LaptopComplianceResult))]
    public sealed class TestRoLaptopComplianceCommand : LaptopCmdletBase<LaptopHostCompliance>
    {
        /// <inheritdoc />
        protected override string ProgressActivity => "Test-RoLaptopCompliance";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            LaptopBaseline baseline = CheckedBaseline;
            TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
            foreach (ISshSessionSource source in SourcesOfThisRecord())
            {
                SshTarget target = source.Target;
                Schedule(
                    token => LaptopComplianceWork.CheckAsync(source, baseline, timeout, token),
                    error =>
                    {
                        LaptopHostCompliance host = HostRun.Faulted(new LaptopHostCompliance { ComputerName = target.Host, Port = target.Port, UserName = target.UserName }, target.ToString(), error);
                        LaptopComplianceWork.Judge(host, baseline);
                        return host;
                    });
            }
        }

        /// <inheritdoc />
        protected override void AuditHostResult(LaptopHostCompliance result) =>
            AuditRecordedHostKey(result.ComputerName, result.Port, result.HostKeyRecorded, result.HostKeyFingerprint);

        /// <inheritdoc />
        protected override void WriteHostResult(LaptopHostCompliance result) =>
            WriteLaptopResults(result.Results, result.ComputerName, result.Port, result.Reconnected, result.Status, result.Message, result.Remedy,
                r => r.Compliance == ComplianceStatus.Error ? $"{r.ComputerName}: the {r.Check} check could not be made: {r.Message}" : null);
    }
}
