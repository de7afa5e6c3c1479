using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using RemoteOps.Core.Laptops;
using RemoteOps.Core.Laptops.Reports;
using RemoteOps.Infrastructure;

namespace RemoteOps.Commands
{
    /// <summary>Writes a self-contained HTML report and a CSV from laptop compliance results.</summary>
    [Cmdlet(VerbsData.Export, "RoComplianceReport", HelpUri = HelpLinks.CmdletReference + "Export-RoComplianceReport.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportRoComplianceReportCommand : PSCmdlet
    {
        private readonly List<LaptopComplianceResult> results = new List<LaptopComplianceResult>();

        /// <summary>The HTML report to write; an existing file is replaced.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>The results, from Test-RoLaptopCompliance.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public LaptopComplianceResult[] InputObject { get; set; }

        /// <summary>The CSV to write; by default the report's path with the extension .csv.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string CsvPath { get; set; }

        /// <summary>The report's heading.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = "Laptop compliance";

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (LaptopComplianceResult result in InputObject ?? new LaptopComplianceResult[0])
            {
                if (result != null)
                {
                    results.Add(result);
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            string htmlPath = LocalPaths.Resolve(this, Path);
            string csvPath = CsvPath == null ? System.IO.Path.ChangeExtension(htmlPath, ".csv") : LocalPaths.Resolve(this, CsvPath);
            if (string.Equals(htmlPath, csvPath, StringComparison.Ordinal))
            {
                ThrowTerminatingError(ArgumentErrors.Invalid("ReportPathsClash", $"The report and the CSV would both be '{htmlPath}'; give -CsvPath another name.", CsvPath ?? Path));
            }

            FleetSummary summary = FleetSummary.From(results);
            Write(htmlPath, "Write the compliance report of " + summary.Hosts.Count + " laptop(s)", () => ComplianceReportHtml.Render(summary, Title, DateTimeOffset.Now));
            Write(csvPath, "Write the compliance results of " + summary.Hosts.Count + " laptop(s) as CSV", () => ComplianceReportCsv.Render(summary));
        }

        private void Write(string path, string action, Func<string> render)
        {
            if (!ShouldProcess(path, action))
            {
                return;
            }

            try
            {
                string folder = System.IO.Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(folder))
                {
                    Directory.CreateDirectory(folder);
                }

                // Under a temporary name first, so a reader never sees half a report.
                string temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
                File.WriteAllText(temporary, render(), new UTF8Encoding(false));
                if (File.Exists(path))
                {
                    File.Delete(path);
                }

                File.Move(temporary, path);
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(error, "ComplianceReportWriteFailed", ErrorCategory.WriteError, path));
            }

            WriteObject(new FileInfo(path));
        }
    }
}
