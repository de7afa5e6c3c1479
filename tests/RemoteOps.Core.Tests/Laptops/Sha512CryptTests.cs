using RemoteOps.Core.Laptops.Images;
using RemoteOps.Core.Tests.TestSupport;
using Xunit;

namespace RemoteOps.Core.Tests.Laptops
{
    public sealed class Sha512CryptTests
    {
        // The test vectors of the specification ("Unix crypt using SHA-256 and SHA-512").
        [Theory]
        [InlineData("Hello world!", "saltstring", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
        public void HashesLikeTheSpecification(string password, string salt, string expected)
        {
            Assert.Equal(expected, Sha512Crypt.Hash(password, salt));
        }

        [Fact]
        public void AgreesWithOpenSslForALongPasswordAndAFullSalt()
        {
            string password = new string('p', 70) + " ü";
            string expected = ProcessRunner.RunChecked("openssl", "passwd", "-6", "-salt", "abcdefghijklmnop", password).Text.Trim();

            Assert.Equal(expected, Sha512Crypt.Hash(password, "abcdefghijklmnop"));
        }

        [Fact]
        public void UsesANewSaltEachTime()
        {
            string first = Sha512Crypt.Hash("same");
            string second = Sha512Crypt.Hash("same");

            Assert.NotEqual(first, second);
            Assert.Matches("^\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}$", first);
        }
    }
}
