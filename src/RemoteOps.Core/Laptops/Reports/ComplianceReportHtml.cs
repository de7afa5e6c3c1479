using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace RemoteOps.Core.Laptops.Reports
{
    /// <summary>
    /// The report as one self-contained HTML page: a fleet summary with an inline SVG chart, the
    /// pass rate per check, one row per laptop and one per laptop and check, in tables that sort
    /// and filter with a few lines of inline script. Nothing is loaded from anywhere.
    /// </summary>
    /// <remarks>
    /// Everything that came from a laptop is HTML-encoded. As a second line of defence the page's
    /// Content-Security-Policy allows no network at all and only the page's own script and style
    /// (by their SHA-256 hashes), so a script that slipped into the text would still not run.
    /// </remarks>
    public static class ComplianceReportHtml
    {
        private const string CompliantColour = "#2e7d32";
        private const string NonCompliantColour = "#c62828";
        private const string ErrorColour = "#ef6c00";
        private const string NotApplicableColour = "#9e9e9e";

        private const string Style = @"
body { font-family: system-ui, sans-serif; margin: 2em; color: #1a1a1a; }
h1 { margin-bottom: 0.2em; }
.generated { color: #555; margin-top: 0; }
.cards { display: flex; gap: 1em; flex-wrap: wrap; margin: 1em 0; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 1.2em; min-width: 9em; }
.card .number { font-size: 2em; font-weight: bold; display: block; }
.Compliant { color: #2e7d32; } .NonCompliant { color: #c62828; } .Error { color: #ef6c00; } .NotApplicable { color: #666; }
table { border-collapse: collapse; margin: 0.5em 0 2em; width: 100%; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th button { font: inherit; font-weight: bold; background: none; border: none; padding: 0; cursor: pointer; }
th[aria-sort=ascending] button::after { content: ' \25B2'; }
th[aria-sort=descending] button::after { content: ' \25BC'; }
td.number { text-align: right; }
td.evidence { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
input[type=search] { padding: 0.3em; width: 20em; }
";

        private const string Script = @"
(function () {
  'use strict';
  function key(row, index) {
    var cell = row.cells[index];
    var value = cell.getAttribute('data-value');
    return value !== null ? parseFloat(value) : cell.textContent.trim().toLowerCase();
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, index) {
      header.querySelector('button').addEventListener('click', function () {
        var ascending = header.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute('aria-sort'); });
        header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a, index), y = key(b, index);
          var order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll('input[data-filter]'), function (input) {
    var id = input.getAttribute('data-filter');
    var table = document.getElementById(id);
    var shown = document.getElementById(id + '-shown');
    input.addEventListener('input', function () {
      var words = input.value.trim().toLowerCase();
      var count = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var match = row.textContent.toLowerCase().indexOf(words) >= 0;
        row.hidden = !match;
        if (match) { count++; }
      });
      shown.textContent = String(count);
    });
  });
})();
";

        /// <summary>The page's HTML.</summary>
        public static string Render(FleetSummary summary, string title, DateTimeOffset generated)
        {
            if (summary == null)
            {
                throw new ArgumentNullException(nameof(summary));
            }

            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '").Append(Hash(Script))
                .Append("'; style-src '").Append(Hash(Style)).Append("'\">\n");
            html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
            html.Append("<title>").Append(Encode(title)).Append("</title>\n");
            html.Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
            html.Append("<h1>").Append(Encode(title)).Append("</h1>\n");
            html.Append("<p class=\"generated\">Generated ").Append(Encode(generated.ToString("yyyy-MM-dd HH:mm 'UTC'zzz", CultureInfo.InvariantCulture)))
                .Append(" from ").Append(Count(summary.Results.Count)).Append(" results.</p>\n");

            AppendCards(html, summary);
            html.Append("<h2>Pass rate per check</h2>\n");
            AppendChart(html, summary);
            AppendCheckTable(html, summary);
            AppendHostTable(html, summary);
            AppendDetailTable(html, summary);
            html.Append("<script>").Append(Script).Append("</script>\n</body>\n</html>\n");
            return html.ToString();
        }

        private static void AppendCards(StringBuilder html, FleetSummary summary)
        {
            html.Append("<div class=\"cards\">\n");
            Card(html, "hosts-total", "Laptops", summary.Hosts.Count, null);
            Card(html, "hosts-compliant", "Compliant", summary.CompliantHosts, "Compliant");
            Card(html, "hosts-noncompliant", "Not compliant", summary.NonCompliantHosts, "NonCompliant");
            Card(html, "hosts-error", "Could not be checked", summary.ErrorHosts, "Error");
            Card(html, "checks-total", "Checks", summary.Checks.Count, null);
            html.Append("</div>\n");
        }

        private static void Card(StringBuilder html, string id, string label, int value, string cssClass)
        {
            html.Append("<div class=\"card\"><span class=\"number").Append(cssClass == null ? string.Empty : " " + cssClass).Append("\" id=\"").Append(id).Append("\">")
                .Append(Count(value)).Append("</span>").Append(label).Append("</div>\n");
        }

        private static void AppendChart(StringBuilder html, FleetSummary summary)
        {
            const int labelWidth = 260;
            const int barWidth = 420;
            const int rowHeight = 30;
            const int legendHeight = 30;
            int height = legendHeight + (Math.Max(summary.Checks.Count, 1) * rowHeight) + 10;
            int width = labelWidth + barWidth + 80;
            html.Append("<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").Append(Count(width)).Append("\" height=\"").Append(Count(height))
                .Append("\" viewBox=\"0 0 ").Append(Count(width)).Append(' ').Append(Count(height)).Append("\" font-family=\"sans-serif\" font-size=\"13\">\n");
            html.Append("<title>Laptops per check: compliant, not compliant, could not be checked, not applicable</title>\n");
            int x = labelWidth;
            foreach (var (label, colour) in new[] { ("Compliant", CompliantColour), ("Not compliant", NonCompliantColour), ("Could not be checked", ErrorColour), ("Not applicable", NotApplicableColour) })
            {
                html.Append("<rect x=\"").Append(Count(x)).Append("\" y=\"6\" width=\"12\" height=\"12\" fill=\"").Append(colour).Append("\"/>");
                html.Append("<text x=\"").Append(Count(x + 16)).Append("\" y=\"17\">").Append(label).Append("</text>\n");
                x += 16 + (label.Length * 7) + 14;
            }

            int y = legendHeight;
            foreach (CheckSummary check in summary.Checks)
            {
                int total = check.Compliant + check.NonCompliant + check.Error + check.NotApplicable;
                html.Append("<g class=\"bar\" data-check=\"").Append(Encode(check.Check)).Append("\">");
                html.Append("<text x=\"").Append(Count(labelWidth - 8)).Append("\" y=\"").Append(Count(y + 19)).Append("\" text-anchor=\"end\">").Append(Encode(Shorten(check.Title ?? check.Check, 36))).Append("</text>");
                double left = labelWidth;
                foreach (var (value, colour, name) in new[] { (check.Compliant, CompliantColour, "Compliant"), (check.NonCompliant, NonCompliantColour, "NonCompliant"), (check.Error, ErrorColour, "Error"), (check.NotApplicable, NotApplicableColour, "NotApplicable") })
                {
                    if (value == 0 || total == 0)
                    {
                        continue;
                    }

                    double segment = barWidth * (double)value / total;
                    html.Append("<rect data-status=\"").Append(name).Append("\" data-count=\"").Append(Count(value)).Append("\" x=\"").Append(Number(left)).Append("\" y=\"").Append(Count(y + 4))
                        .Append("\" width=\"").Append(Number(segment)).Append("\" height=\"20\" fill=\"").Append(colour).Append("\"><title>")
                        .Append(Count(value)).Append(' ').Append(name).Append("</title></rect>");
                    left += segment;
                }

                html.Append("<text x=\"").Append(Count(labelWidth + barWidth + 8)).Append("\" y=\"").Append(Count(y + 19)).Append("\">").Append(Rate(check.PassRate)).Append("</text>");
                html.Append("</g>\n");
                y += rowHeight;
            }

            html.Append("</svg>\n");
        }

        private static void AppendCheckTable(StringBuilder html, FleetSummary summary)
        {
            html.Append("<table id=\"checks\" class=\"sortable\">\n<thead><tr>");
            Headers(html, "Check", "Title", "Compliant", "Not compliant", "Could not be checked", "Not applicable", "Pass rate");
            html.Append("</tr></thead>\n<tbody>\n");
            foreach (CheckSummary check in summary.Checks)
            {
                html.Append("<tr data-check=\"").Append(Encode(check.Check)).Append("\">");
                Cell(html, check.Check);
                Cell(html, check.Title);
                NumberCell(html, check.Compliant);
                NumberCell(html, check.NonCompliant);
                NumberCell(html, check.Error);
                NumberCell(html, check.NotApplicable);
                html.Append("<td class=\"number pass-rate\" data-value=\"").Append(check.PassRate.HasValue ? Number(check.PassRate.Value) : "-1").Append("\">")
                    .Append(Rate(check.PassRate)).Append("</td>");
                html.Append("</tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        private static void AppendHostTable(StringBuilder html, FleetSummary summary)
        {
            html.Append("<h2>Laptops</h2>\n");
            Filter(html, "hosts", summary.Hosts.Count);
            html.Append("<table id=\"hosts\" class=\"sortable\">\n<thead><tr>");
            Headers(html, "Laptop", "Overall", "Compliant", "Not compliant", "Could not be checked", "Not applicable");
            html.Append("</tr></thead>\n<tbody>\n");
            foreach (HostSummary host in summary.Hosts)
            {
                html.Append("<tr data-host=\"").Append(Encode(host.ComputerName)).Append("\">");
                Cell(html, host.ComputerName);
                html.Append("<td class=\"").Append(host.Overall.ToString()).Append("\">").Append(host.Overall.ToString()).Append("</td>");
                NumberCell(html, host.Compliant);
                NumberCell(html, host.NonCompliant);
                NumberCell(html, host.Error);
                NumberCell(html, host.NotApplicable);
                html.Append("</tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        private static void AppendDetailTable(StringBuilder html, FleetSummary summary)
        {
            html.Append("<h2>Every check on every laptop</h2>\n");
            Filter(html, "detail", summary.Results.Count);
            html.Append("<table id=\"detail\" class=\"sortable\">\n<thead><tr>");
            Headers(html, "Laptop", "Check", "Result", "Evidence", "Expected", "Repairable", "Message");
            html.Append("</tr></thead>\n<tbody>\n");
            foreach (LaptopComplianceResult result in summary.Results)
            {
                ComplianceStatus verdict = FleetSummary.Verdict(result);
                html.Append("<tr>");
                Cell(html, result.ComputerName);
                Cell(html, result.Title ?? result.Check);
                html.Append("<td class=\"").Append(verdict.ToString()).Append("\">").Append(verdict.ToString()).Append("</td>");
                html.Append("<td class=\"evidence\">").Append(Encode(result.Evidence)).Append("</td>");
                Cell(html, result.Expected);
                Cell(html, result.CanRepair ? "yes" : "no");
                Cell(html, result.Status == Hosts.HostStatus.Succeeded || string.IsNullOrEmpty(result.Message) ? (result.Status == Hosts.HostStatus.Succeeded ? result.Message : result.Status.ToString()) : result.Status + ": " + result.Message);
                html.Append("</tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        private static void Filter(StringBuilder html, string tableId, int rows)
        {
            html.Append("<p><label>Filter: <input type=\"search\" data-filter=\"").Append(tableId).Append("\" placeholder=\"type to filter the rows\"></label> ")
                .Append("<span id=\"").Append(tableId).Append("-shown\">").Append(Count(rows)).Append("</span> of ").Append(Count(rows)).Append(" rows shown</p>\n");
        }

        private static void Headers(StringBuilder html, params string[] names)
        {
            foreach (string name in names)
            {
                html.Append("<th scope=\"col\"><button type=\"button\">").Append(name).Append("</button></th>");
            }
        }

        private static void Cell(StringBuilder html, string text) => html.Append("<td>").Append(Encode(text)).Append("</td>");

        private static void NumberCell(StringBuilder html, int value) =>
            html.Append("<td class=\"number\" data-value=\"").Append(Count(value)).Append("\">").Append(Count(value)).Append("</td>");

        private static string Encode(string text) => WebUtility.HtmlEncode(text ?? string.Empty);

        private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

        private static string Rate(double? rate) => rate.HasValue ? rate.Value.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "n/a";

        private static string Shorten(string text, int length) => text.Length <= length ? text : text.Substring(0, length - 1) + "\u2026";

        private static string Hash(string inline)
        {
            using (SHA256 sha = SHA256.Create())
            {
                return "sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(inline)));
            }
        }
    }
}
