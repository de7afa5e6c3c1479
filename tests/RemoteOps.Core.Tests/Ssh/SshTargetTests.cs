using System;
using RemoteOps.Core.Ssh;
using Xunit;

namespace RemoteOps.Core.Tests.Ssh
{
    public sealed class SshTargetTests
    {
        [Theory]
        [InlineData("host", "host", 22, null)]
        [InlineData("host.example.com", "host.example.com", 22, null)]
        [InlineData("host:2222", "host", 2222, null)]
        [InlineData("alice@host", "host", 22, "alice")]
        [InlineData("alice@host:2222", "host", 2222, "alice")]
        [InlineData("[::1]:2222", "::1", 2222, null)]
        [InlineData("[::1]", "::1", 22, null)]
        [InlineData("::1", "::1", 22, null)]
        [InlineData("fe80::1%eth0", "fe80::1%eth0", 22, null)]
        [InlineData("bob@[2001:db8::7]:830", "2001:db8::7", 830, "bob")]
        [InlineData("2001:db8::ffff:198.18.0.1", "2001:db8::ffff:198.18.0.1", 22, null)]
        [InlineData("198.18.0.1", "198.18.0.1", 22, null)]
        [InlineData("198.18.0.1:65535", "198.18.0.1", 65535, null)]
        [InlineData("[host.example.com]:2222", "host.example.com", 2222, null)]
        [InlineData("svc_account$@Host-01", "Host-01", 22, "svc_account$")]
        [InlineData("_srv.example", "_srv.example", 22, null)]
        [InlineData("x:1", "x", 1, null)]
        public void ParseReadsEveryDocumentedForm(string text, string host, int port, string user)
        {
            var target = SshTarget.Parse(text);

            Assert.Equal(host, target.Host);
            Assert.Equal(port, target.Port);
            Assert.Equal(user, target.UserName);
        }

        [Fact]
        public void ParseUsesTheDefaultsOnlyWhenTheTextHasNoPortOrUser()
        {
            var defaulted = SshTarget.Parse("host", 2222, "deploy");
            Assert.Equal(2222, defaulted.Port);
            Assert.Equal("deploy", defaulted.UserName);

            var explicitParts = SshTarget.Parse("root@host:23", 2222, "deploy");
            Assert.Equal(23, explicitParts.Port);
            Assert.Equal("root", explicitParts.UserName);
        }

        [Theory]
        [InlineData("host")]
        [InlineData("host:2222")]
        [InlineData("alice@host")]
        [InlineData("alice@host:2222")]
        [InlineData("[::1]:2222")]
        [InlineData("[::1]")]
        [InlineData("bob@[2001:db8::7]:830")]
        [InlineData("198.18.0.1:1")]
        public void ToStringRoundTrips(string text)
        {
            var target = SshTarget.Parse(text);

            Assert.Equal(text, target.ToString());
            Assert.Equal(target, SshTarget.Parse(target.ToString()));
        }

        [Fact]
        public void ToStringBracketsABareIPv6AddressAndLeavesOutPort22()
        {
            Assert.Equal("[::1]", SshTarget.Parse("::1").ToString());
            Assert.Equal("host", SshTarget.Parse("host:22").ToString());
            Assert.Equal("host:2222", SshTarget.Parse("host", 2222).ToString());
        }

        [Theory]
        [InlineData("host;rm -rf /", "host;rm -rf /")]
        [InlineData("$(x)", "$(x)")]
        [InlineData("`id`", "`id`")]
        [InlineData("host name", "host name")]
        [InlineData(" host", " host")]
        [InlineData("host ", "host ")]
        [InlineData("host\n", "host\\n")]
        [InlineData("host|nc", "host|nc")]
        [InlineData("host&", "host&")]
        [InlineData("-oProxyCommand=sh", "-oProxyCommand=sh")]
        [InlineData("host/../x", "host/../x")]
        [InlineData("*.example.com", "*.example.com")]
        [InlineData("host..example", "host..example")]
        [InlineData(".host", ".host")]
        [InlineData("host.", "host.")]
        [InlineData("-host", "-host")]
        [InlineData("host-", "host-")]
        [InlineData("10.1", "10.1")]
        [InlineData("0x7f.1", "0x7f.1")]
        [InlineData("010.0.0.1", "010.0.0.1")]
        [InlineData("256.1.1.1", "256.1.1.1")]
        [InlineData("1.2.3.4.5", "1.2.3.4.5")]
        [InlineData("123", "123")]
        [InlineData("héllo", "héllo")]
        [InlineData("host\u202E", "host\\u202e")]
        public void ParseRejectsHostileHostsNamingTheValueAndWhatIsValid(string text, string shown)
        {
            var error = Assert.Throws<ArgumentException>(() => SshTarget.Parse(text));

            Assert.Contains(shown, error.Message);
            Assert.Contains("DNS name", error.Message);
            Assert.DoesNotContain("\n", error.Message);
        }

        [Theory]
        [InlineData("host:0")]
        [InlineData("host:70000")]
        [InlineData("host:65536")]
        [InlineData("host:-1")]
        [InlineData("host:+22")]
        [InlineData("host: 22")]
        [InlineData("host:22 ")]
        [InlineData("host:")]
        [InlineData("host:ssh")]
        [InlineData("host:0x16")]
        [InlineData("host:99999999999")]
        [InlineData("[::1]:0")]
        [InlineData("[::1]:")]
        public void ParseRejectsBadPortsNamingTheValidRange(string text)
        {
            var error = Assert.Throws<ArgumentException>(() => SshTarget.Parse(text));

            Assert.Contains("1 to 65535", error.Message);
        }

        [Theory]
        [InlineData("$(x)@host")]
        [InlineData("a b@host")]
        [InlineData("-oProxyCommand=x@host")]
        [InlineData("a;b@host")]
        [InlineData("@host")]
        [InlineData("al'ice@host")]
        [InlineData("$@host")]
        [InlineData("a$b@host")]
        [InlineData("abcdefghijklmnopqrstuvwxyz0123456@host")]
        [InlineData("a@b@host")]
        public void ParseRejectsHostileUserNames(string text)
        {
            var error = Assert.Throws<ArgumentException>(() => SshTarget.Parse(text));

            Assert.Contains("is not", error.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("[::1")]
        [InlineData("[::1]x")]
        [InlineData("[]:22")]
        [InlineData("1:2:3")]
        [InlineData("host:22:33")]
        public void ParseRejectsMalformedText(string text)
        {
            var error = Assert.Throws<ArgumentException>(() => SshTarget.Parse(text));

            Assert.Contains("Valid forms are", error.Message);
        }

        [Theory]
        [InlineData("host;rm -rf /")]
        [InlineData("host:0")]
        [InlineData("a b@host")]
        [InlineData("[::1")]
        public void ParseErrorsEndWithTheExplanationNotAnInternalParameterName(string text)
        {
            var error = Assert.Throws<ArgumentException>(() => SshTarget.Parse(text));

            Assert.DoesNotContain("(Parameter", error.Message);
            Assert.EndsWith(".", error.Message);
        }

        [Fact]
        public void ABadDefaultUserOrHostNamesNoInternalParameterEither()
        {
            Assert.DoesNotContain("(Parameter", Assert.ThrowsAny<ArgumentException>(() => SshTarget.Parse("host", 22, "CORP\\jo")).Message);
            Assert.DoesNotContain("(Parameter", Assert.ThrowsAny<ArgumentException>(() => new SshTarget("a;b")).Message);
            Assert.DoesNotContain("(Parameter", Assert.ThrowsAny<ArgumentException>(() => new SshTarget("host", 22, "$(id)")).Message);
        }

        [Theory]
        [InlineData("host:2222", true)]
        [InlineData("jo@host:2222", true)]
        [InlineData("[2001:db8::1]:2222", true)]
        [InlineData("jo@[::1]:22", true)]
        [InlineData("host", false)]
        [InlineData("jo@host", false)]
        [InlineData("2001:db8::1", false)]
        [InlineData("[2001:db8::1]", false)]
        [InlineData("", false)]
        [InlineData(null, false)]
        public void NamesPortTellsAPortFromTheColonsOfAnIPv6Address(string text, bool namesPort)
        {
            Assert.Equal(namesPort, SshTarget.NamesPort(text));
        }

        [Fact]
        public void ParseRejectsNullAndOverlongText()
        {
            Assert.Throws<ArgumentNullException>(() => SshTarget.Parse(null));
            var error = Assert.Throws<ArgumentException>(() => SshTarget.Parse(new string('a', 301)));
            Assert.Contains("cut short", error.Message);
        }

        [Fact]
        public void ParseRejectsABadDefaultUserAndDefaultPort()
        {
            var user = Assert.Throws<ArgumentException>(() => SshTarget.Parse("host", 22, "bad user"));
            Assert.Contains("default user name 'bad user'", user.Message);
            var port = Assert.Throws<ArgumentOutOfRangeException>(() => SshTarget.Parse("host", 0));
            Assert.Equal("defaultPort", port.ParamName);
        }

        [Fact]
        public void ConstructorValidatesLikeParse()
        {
            Assert.Throws<ArgumentException>(() => new SshTarget("a;b"));
            Assert.Throws<ArgumentOutOfRangeException>(() => new SshTarget("host", 70000));
            Assert.Throws<ArgumentException>(() => new SshTarget("host", 22, "$(id)"));
            Assert.Equal("u@h:2", new SshTarget("h", 2, "u").ToString());
        }

        [Fact]
        public void LongestValidNamesAreAcceptedAndOneMoreCharacterIsNot()
        {
            var label = new string('a', 63);
            Assert.Equal(label, SshTarget.Parse(label).Host);
            Assert.Throws<ArgumentException>(() => SshTarget.Parse(label + "a"));

            var name = string.Join(".", label, label, label, new string('b', 61));
            Assert.Equal(253, name.Length);
            Assert.Equal(name, SshTarget.Parse(name).Host);
            Assert.Throws<ArgumentException>(() => SshTarget.Parse(name + "b"));

            var user = new string('u', 32);
            Assert.Equal(user, SshTarget.Parse(user + "@h").UserName);
        }

        [Fact]
        public void EqualityIgnoresHostCaseButNotUserCase()
        {
            Assert.Equal(SshTarget.Parse("a@HOST:2"), SshTarget.Parse("a@host:2"));
            Assert.Equal(SshTarget.Parse("a@HOST:2").GetHashCode(), SshTarget.Parse("a@host:2").GetHashCode());
            Assert.NotEqual(SshTarget.Parse("A@host"), SshTarget.Parse("a@host"));
            Assert.NotEqual(SshTarget.Parse("host:2"), SshTarget.Parse("host:3"));
        }
    }
}
