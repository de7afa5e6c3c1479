using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using RemoteOps.Core.Laptops;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// Turns what -Baseline was given (a .json or .psd1 path, a LaptopBaseline, or a hashtable
    /// with the file's keys) into a checked baseline, or stops the cmdlet with an error naming
    /// the bad key (and its line, for a file) before any host is touched.
    /// </summary>
    internal static class LaptopBaselineInput
    {
        internal static LaptopBaseline Load(PSCmdlet cmdlet, object value)
        {
            object inner = value is PSObject wrapped ? wrapped.BaseObject : value;
            try
            {
                switch (inner)
                {
                    case LaptopBaseline baseline:
                        return LaptopBaselineFile.Validate(baseline, "-Baseline");
                    case string path:
                        return FromFile(cmdlet, path);
                    case System.Collections.IDictionary _:
                    case PSCustomObject _:
                        var data = PolicyData.ToPlain(value) as Dictionary<string, object>;
                        return LaptopBaselineFile.FromData(data, "-Baseline", null);
                    default:
                        throw new FormatException($"-Baseline must be the path of a baseline file (.json or .psd1), a hashtable with the baseline's keys, or a LaptopBaseline, not {inner?.GetType().Name ?? "null"}.");
                }
            }
            catch (FormatException bad)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(bad, "LaptopBaselineInvalid", ErrorCategory.InvalidData, value));
            }
            catch (Exception error) when (error is IOException || error is UnauthorizedAccessException)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(error, "LaptopBaselineUnreadable", ErrorCategory.ReadError, value));
            }

            return null;
        }

        private static LaptopBaseline FromFile(PSCmdlet cmdlet, string path)
        {
            string full = LocalPaths.Resolve(cmdlet, path);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"The baseline file '{full}' does not exist.", full);
            }

            if (!string.Equals(Path.GetExtension(full), ".psd1", StringComparison.OrdinalIgnoreCase))
            {
                return LaptopBaselineFile.Parse(File.ReadAllText(full), full);
            }

            ScriptBlockAst ast = Parser.ParseFile(full, out Token[] _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                throw new FormatException($"{full}: line {errors[0].Extent.StartLineNumber}: not valid PowerShell data ({errors[0].Message}).");
            }

            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            Ast root = ast.EndBlock?.Statements.FirstOrDefault();
            Visit(root, string.Empty, lines);
            Collection<PSObject> result;
            try
            {
                result = cmdlet.InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($p) Import-PowerShellDataFile -LiteralPath $p"), null, full);
            }
            catch (RuntimeException error)
            {
                throw new FormatException($"{full}: {error.Message}", error);
            }

            var table = result.Count == 1 ? PolicyData.ToPlain(result[0]) as Dictionary<string, object> : null;
            return LaptopBaselineFile.FromData(table, full, key => lines.TryGetValue(key, out int line) ? line : (int?)null);
        }

        // Records the line of every key and list item of the data file by its path
        // ("usbstorage.allowed[1].vendorid"), so that an error can name the line.
        private static void Visit(Ast node, string path, Dictionary<string, int> lines)
        {
            node = Unwrap(node);
            if (node is HashtableAst table)
            {
                foreach (Tuple<ExpressionAst, StatementAst> pair in table.KeyValuePairs)
                {
                    string key = (pair.Item1 as StringConstantExpressionAst)?.Value ?? pair.Item1.Extent.Text;
                    string inner = (path.Length == 0 ? string.Empty : path + ".") + key.ToLowerInvariant();
                    lines[inner] = pair.Item1.Extent.StartLineNumber;
                    Visit(pair.Item2, inner, lines);
                }
            }
            else if (node is ArrayExpressionAst || node is ArrayLiteralAst)
            {
                int index = 0;
                foreach (Ast item in Items(node))
                {
                    index++;
                    string inner = $"{path}[{index}]";
                    lines[inner] = item.Extent.StartLineNumber;
                    Visit(item, inner, lines);
                }
            }
        }

        private static IEnumerable<Ast> Items(Ast node)
        {
            if (node is ArrayLiteralAst literal)
            {
                return literal.Elements;
            }

            var items = new List<Ast>();
            foreach (StatementAst statement in ((ArrayExpressionAst)node).SubExpression.Statements)
            {
                Ast item = Unwrap(statement);
                if (item is ArrayLiteralAst list)
                {
                    items.AddRange(list.Elements);
                }
                else
                {
                    items.Add(item);
                }
            }

            return items;
        }

        private static Ast Unwrap(Ast node)
        {
            while (true)
            {
                switch (node)
                {
                    case PipelineAst pipeline when pipeline.PipelineElements.Count == 1:
                        node = pipeline.PipelineElements[0];
                        break;
                    case CommandExpressionAst command:
                        node = command.Expression;
                        break;
                    case ParenExpressionAst paren:
                        node = paren.Pipeline;
                        break;
                    default:
                        return node;
                }
            }
        }
    }
}
