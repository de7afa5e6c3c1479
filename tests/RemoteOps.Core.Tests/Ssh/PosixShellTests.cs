using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using RemoteOps.Core.Ssh;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class PosixShellTests
    {
        public static IEnumerable<object[]> HostileValues()
        {
            var values = new[]
            {
                "", " ", "  leading and trailing  ", "plain",
                "'", "''", "'''", "\"", "a'b\"c", "it's", "'\\''", "'\"'\"'",
                "$(id)", "`id`", "${HOME}", "$HOME", "$0", "$@", "$*", "$?", "$$", "$((1+1))",
                "a;b", "a|b", "a && b", "a || b", "a & b", "(subshell)", "{a,b}", "<in", ">out", "2>&1", ">>", "<<EOF",
                "line1\nline2", "\n", "\r\n", "trailing newline\n\n", "tab\there", "\t", "\v\f",
                "*", "?", "[a-z]*", "/etc/*", "~", "~root", "~/x",
                "-rf", "--", "-n", "-e", "--help",
                "\\", "\\n", "\\\\'", "\\'", "back\\slash\\",
                "héllo", "日本語", "שלום עולם", "\u202Eevil\u202C", "\u200B", "\u00A0", "😀", "👨‍👩‍👧", "a\u0001b\u001b[31mred",
                "!", "!!", "!$", "#comment", "a#b", "%s", "%", "%%", "%n%n%n",
                "'; touch /tmp/never; '", "\"; rm -rf /; \"", "$(printf '%s' pwned)", "`printf x`'$(id)'",
                "IFS=x", "a=b", "\u007F", new string('\'', 200), new string('x', 20000),
            };
            return values.Select(value => new object[] { value });
        }

        [Fact]
        public void QuoteWrapsInSingleQuotes()
        {
            Assert.Equal("'abc'", PosixShell.Quote("abc"));
            Assert.Equal("''", PosixShell.Quote(string.Empty));
            Assert.Equal("'a b'", PosixShell.Quote("a b"));
        }

        [Fact]
        public void QuoteClosesEscapesAndReopensForAnEmbeddedQuote()
        {
            Assert.Equal("'it'\\''s'", PosixShell.Quote("it's"));
            Assert.Equal("''\\'''", PosixShell.Quote("'"));
        }

        [Fact]
        public void QuoteRejectsNull()
        {
            Assert.Throws<ArgumentNullException>(() => PosixShell.Quote(null));
        }

        [Theory]
        [InlineData("\0")]
        [InlineData("abc\0")]
        [InlineData("\0abc")]
        [InlineData("a\0b\0c")]
        public void QuoteRejectsNULAndSaysWhy(string value)
        {
            var error = Assert.Throws<ArgumentException>(() => PosixShell.Quote(value));
            Assert.Contains("NUL", error.Message);
            Assert.Contains("index " + value.IndexOf('\0'), error.Message);
            Assert.Equal("value", error.ParamName);
        }

        [Fact]
        public void NULErrorDoesNotEchoTheValueWhichMayBeASecret()
        {
            var error = Assert.Throws<ArgumentException>(() => PosixShell.Quote("hunter2-secret\0"));
            Assert.DoesNotContain("hunter2", error.Message);
        }

        [Theory]
        [MemberData(nameof(HostileValues))]
        public void QuotedValueReachesTheProgramByteForByte(string value)
        {
            var result = ProcessRunner.Run("/bin/sh", new[] { "-c", "printf '%s' " + PosixShell.Quote(value) });

            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Equal(Encoding.UTF8.GetBytes(value), result.StandardOutput);
            Assert.Equal(string.Empty, result.StandardError);
        }

        [Theory]
        [InlineData("$(touch {0})")]
        [InlineData("`touch {0}`")]
        [InlineData("'; touch {0}; '")]
        [InlineData("'$(touch {0})'")]
        [InlineData("\"; touch {0}; \"")]
        [InlineData("x\ntouch {0}\n")]
        [InlineData("a && touch {0}")]
        [InlineData("a | touch {0}")]
        [InlineData("'\\''; touch {0} #")]
        public void InjectionAttemptsHaveNoSideEffect(string template)
        {
            using var temp = new TempDirectory();
            var marker = temp.File("pwned-" + Guid.NewGuid().ToString("N"));
            var value = string.Format(CultureInfo.InvariantCulture, template, marker);

            var result = ProcessRunner.Run("/bin/sh", new[] { "-c", "printf '%s' " + PosixShell.Quote(value) });

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(value, result.Text);
            Assert.False(File.Exists(marker), "The quoted value ran a command: " + value);
        }

        [Fact]
        public void UnquotedInjectionDoesHaveASideEffectSoTheSideEffectCheckCanFail()
        {
            using var temp = new TempDirectory();
            var marker = temp.File("pwned");

            ProcessRunner.Run("/bin/sh", new[] { "-c", "printf '%s' " + "$(touch " + marker + ")" });

            Assert.True(File.Exists(marker));
        }

        [Fact]
        public void JoinCommandMakesEachValueExactlyOneWord()
        {
            var values = new[] { "", "a b", "c'd", "$(id)", "x\ny", "*", "-n" };

            var command = PosixShell.JoinCommand("printf", new[] { "[%s]" }.Concat(values).ToArray());
            var result = ProcessRunner.Run("/bin/sh", new[] { "-c", command });

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(string.Concat(values.Select(v => "[" + v + "]")), result.Text);
        }

        [Fact]
        public void JoinCommandQuotesTheProgramToo()
        {
            Assert.Equal("'printf' '%s' 'a b'", PosixShell.JoinCommand("printf", "%s", "a b"));
            Assert.Equal("'my prog'", PosixShell.JoinCommand("my prog"));
            Assert.Equal("'ls'", PosixShell.JoinCommand("ls", null));
        }

        [Fact]
        public void JoinCommandRejectsNullAndEmptyProgramsAndNullArguments()
        {
            Assert.Throws<ArgumentNullException>(() => PosixShell.JoinCommand(null, "a"));
            var empty = Assert.Throws<ArgumentException>(() => PosixShell.JoinCommand(string.Empty, "a"));
            Assert.Contains("empty", empty.Message);
            var nullArgument = Assert.Throws<ArgumentNullException>(() => PosixShell.JoinCommand("echo", "a", null));
            Assert.Contains("Argument 1", nullArgument.Message);
        }

        [Fact]
        public void JoinCommandRejectsNULInAnyWord()
        {
            Assert.Throws<ArgumentException>(() => PosixShell.JoinCommand("echo", "ok", "bad\0"));
            Assert.Throws<ArgumentException>(() => PosixShell.JoinCommand("ec\0ho"));
        }

        [Fact]
        public void RandomHostileStringsSurviveTheShell()
        {
            const string alphabet = " \t\n\r'\"`$(){}[]<>|&;!#*?~\\/-=%^@:,.aZ09éש😀\u202E";
            var random = new Random(20240611);
            var values = new List<string>();
            for (var i = 0; i < 400; i++)
            {
                var builder = new StringBuilder();
                var length = random.Next(0, 24);
                var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
                var pieces = new List<string>();
                while (elements.MoveNext())
                {
                    pieces.Add((string)elements.Current);
                }

                for (var j = 0; j < length; j++)
                {
                    builder.Append(pieces[random.Next(pieces.Count)]);
                }

                values.Add(builder.ToString());
            }

            // One shell for all of them: printf repeats its format for every argument, and NUL
            // (which no value can contain) separates the outputs.
            var command = PosixShell.JoinCommand("printf", new[] { "%s\\0" }.Concat(values).ToArray());
            var result = ProcessRunner.Run("/bin/sh", new[] { "-c", command });

            Assert.Equal(0, result.ExitCode);
            var outputs = Encoding.UTF8.GetString(result.StandardOutput).Split('\0');
            Assert.Equal(values.Count + 1, outputs.Length);
            for (var i = 0; i < values.Count; i++)
            {
                Assert.Equal(values[i], outputs[i]);
            }
        }
    }
}
