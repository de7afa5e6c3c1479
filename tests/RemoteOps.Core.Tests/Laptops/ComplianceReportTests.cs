using System;
using System.Collections.Generic;
using System.Linq;
using RemoteOps.Core.Hosts;
using RemoteOps.Core.Laptops;
using RemoteOps.Core.Laptops.Reports;
using Xunit;

namespace RemoteOps.Core.Tests.Laptops
{
    public sealed class ComplianceReportTests
    {
        private const string HostileEvidence = "<script>alert(1)</script><img src=x onerror=alert(2)>\" onmouseover=\"x";

        private static LaptopComplianceResult Result(string host, string check, ComplianceStatus compliance, HostStatus status = HostStatus.Succeeded, string evidence = "ok") =>
            new LaptopComplianceResult { ComputerName = host, Check = check, Title = check + " title", Compliance = compliance, Status = status, Evidence = evidence, Expected = "as baseline" };

        private static List<LaptopComplianceResult> Fleet() => new List<LaptopComplianceResult>
        {
            Result("lt-01", "DiskEncryption", ComplianceStatus.Compliant),
            Result("lt-01", "UsbStorage", ComplianceStatus.Compliant),
            Result("lt-02", "DiskEncryption", ComplianceStatus.NonCompliant, evidence: HostileEvidence),
            Result("lt-02", "UsbStorage", ComplianceStatus.NotApplicable),
            Result("lt-03", "DiskEncryption", ComplianceStatus.Compliant, HostStatus.Unreachable),
            Result("lt-03", "UsbStorage", ComplianceStatus.Compliant),
        };

        [Fact]
        public void CountsHostsAndChecksWithUnreachableHostsAsErrors()
        {
            FleetSummary summary = FleetSummary.From(Fleet());

            Assert.Equal(3, summary.Hosts.Count);
            Assert.Equal(1, summary.CompliantHosts);
            Assert.Equal(1, summary.NonCompliantHosts);
            Assert.Equal(1, summary.ErrorHosts);
            CheckSummary disk = summary.Checks.Single(c => c.Check == "DiskEncryption");
            Assert.Equal((1, 1, 1, 0), (disk.Compliant, disk.NonCompliant, disk.Error, disk.NotApplicable));
            Assert.Equal(33.3, disk.PassRate);
            Assert.Equal(100.0, summary.Checks.Single(c => c.Check == "UsbStorage").PassRate);
        }

        [Fact]
        public void HostileEvidenceIsShownAsTextNeverAsMarkup()
        {
            string html = ComplianceReportHtml.Render(FleetSummary.From(Fleet()), "Fleet <b>", DateTimeOffset.UnixEpoch);

            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot; onmouseover=&quot;x", html, StringComparison.Ordinal);
            Assert.Contains("<h1>Fleet &lt;b&gt;</h1>", html, StringComparison.Ordinal);
            Assert.Equal(1, html.Split("<script>").Length - 1);
        }

        [Fact]
        public void ThePageLoadsNothingFromAnywhere()
        {
            string html = ComplianceReportHtml.Render(FleetSummary.From(Fleet()), "Fleet", DateTimeOffset.UnixEpoch);

            Assert.Contains("content=\"default-src 'none'; script-src 'sha256-", html, StringComparison.Ordinal);
            Assert.DoesNotContain("src=\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("href=", html, StringComparison.Ordinal);
            Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        }

        [Fact]
        public void TheCsvQuotesEveryCellAndDisarmsFormulas()
        {
            var results = new List<LaptopComplianceResult>
            {
                Result("lt-01", "Packages", ComplianceStatus.NonCompliant, evidence: "=HYPERLINK(\"http://evil\",\"x\")"),
            };

            string csv = ComplianceReportCsv.Render(FleetSummary.From(results));
            string[] lines = csv.Split("\r\n");

            Assert.Equal("ComputerName,Check,Title,Compliance,Status,Evidence,Expected,CanRepair,Message,StartTime", lines[0]);
            Assert.Equal("\"lt-01\",\"Packages\",\"Packages title\",\"NonCompliant\",\"Succeeded\",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\"as baseline\",\"False\",,", lines[1]);
        }
    }
}
