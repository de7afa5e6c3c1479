using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace RemoteOps.Core.Laptops.Reports
{
    /// <summary>The report's CSV: one row per laptop and check, for spreadsheets and Import-Csv.</summary>
    public static class ComplianceReportCsv
    {
        private static readonly string[] Columns = { "ComputerName", "Check", "Title", "Compliance", "Status", "Evidence", "Expected", "CanRepair", "Message", "StartTime" };

        /// <summary>The CSV text (RFC 4180 quoting, CRLF line ends).</summary>
        public static string Render(FleetSummary summary)
        {
            var text = new StringBuilder();
            text.Append(string.Join(",", Columns)).Append("\r\n");
            foreach (LaptopComplianceResult result in summary?.Results ?? new List<LaptopComplianceResult>())
            {
                var cells = new[]
                {
                    result.ComputerName, result.Check, result.Title, FleetSummary.Verdict(result).ToString(), result.Status.ToString(),
                    result.Evidence, result.Expected, result.CanRepair ? "True" : "False", result.Message,
                    result.StartTime == default ? string.Empty : result.StartTime.ToString("o", CultureInfo.InvariantCulture),
                };
                var quoted = new List<string>();
                foreach (string cell in cells)
                {
                    quoted.Add(Cell(cell));
                }

                text.Append(string.Join(",", quoted)).Append("\r\n");
            }

            return text.ToString();
        }

        // Text from a laptop that starts like a formula (=, +, -, @) would be run by a spreadsheet
        // that opens the file; a leading apostrophe makes it plain text (OWASP's advice on CSV injection).
        private static string Cell(string value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return string.Empty;
            }

            if ("=+-@\t\r".IndexOf(value[0]) >= 0)
            {
                value = "'" + value;
            }

            return "\"" + value.Replace("\"", "\"\"") + "\"";
        }
    }
}
