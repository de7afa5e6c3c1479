using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RemoteOps.Core.Diagnostics;
using RemoteOps.Core.Diagnostics.Checks;
using Xunit;

namespace RemoteOps.Core.Tests.Diagnostics
{
    public sealed class LaptopInventoryTests
    {
        [Fact]
        public void ReadsACsvAsExportCsvWritesIt()
        {
            string csv = "\"UserName\",\"ComputerName\",\"Port\"\r\n\"jsmith\",\"laptop-0412.corp.example\",\"\"\r\n\"JSmith\",\"198.18.60.7\",\"2222\"\r\n\r\n\"adoe\",\"laptop-0007\",\"22\"\r\n";

            LaptopInventory inventory = LaptopInventory.Parse(csv, "laptops.csv");

            var jo = inventory.For("jsmith");
            Assert.Equal(new[] { "laptop-0412.corp.example:22", "198.18.60.7:2222" }, jo.Select(l => $"{l.ComputerName}:{l.Port}").ToArray());
            Assert.Equal(new[] { 2, 3 }, jo.Select(l => l.Line).ToArray());
            Assert.Single(inventory.For("adoe"));
            Assert.Empty(inventory.For("nobody"));
        }

        [Fact]
        public void ReadsAJsonArrayAndAColumnOrderOfItsOwn()
        {
            LaptopInventory json = LaptopInventory.Parse("[\n  {\"UserName\": \"jsmith\", \"ComputerName\": \"laptop-1\"},\n  {\"computername\": \"laptop-2\", \"username\": \"adoe\", \"Port\": 2022}\n]", "laptops.json");
            Assert.Equal("laptop-1", json.For("jsmith").Single().ComputerName);
            Assert.Equal(2022, json.For("adoe").Single().Port);

            LaptopInventory csv = LaptopInventory.Parse("ComputerName,UserName\nlaptop-9,jsmith\n", "laptops.csv");
            Assert.Equal("laptop-9", csv.For("jsmith").Single().ComputerName);
        }

        [Theory]
        [InlineData("UserName,ComputerName\njsmith,laptop-1\nj smith;reboot,laptop-2\n", "laptops.csv: line 3: UserName 'j smith;reboot' is not a valid user name")]
        [InlineData("UserName,ComputerName,Port\njsmith,laptop-1,99999\n", "laptops.csv: line 2: Port '99999' is not a TCP port (1-65535).")]
        [InlineData("UserName,ComputerName\njsmith,laptop 1;rm -rf /\n", "laptops.csv: line 2: ComputerName 'laptop 1;rm -rf /' is not a host name or IP address.")]
        [InlineData("User,Computer\njsmith,laptop-1\n", "laptops.csv: line 1: the header must name the columns UserName and ComputerName")]
        [InlineData("UserName,ComputerName\n\"jsmith,laptop-1\n", "laptops.csv: line 2: a quoted field is not closed.")]
        [InlineData("", "laptops.csv: the inventory is empty")]
        [InlineData("[\n {\"UserName\": \"jsmith\", \"ComputerName\": \"laptop-1\", \"Owner\": \"x\"}\n]", "laptops.csv: line 2: 'Owner' is not an inventory key")]
        [InlineData("[\n {\"UserName\": \"jsmith\",\n  \"ComputerName\": \"\"}\n]", "laptops.csv: line 2: ComputerName '' is not a host name or IP address.")]
        [InlineData("[\n {\"UserName\": \"jsmith\" \"ComputerName\": \"x\"}\n]", "laptops.csv: line 2: not valid JSON")]
        public void ABadInventoryNamesTheFileTheLineAndTheValue(string text, string expected)
        {
            var error = Assert.Throws<FormatException>(() => LaptopInventory.Parse(text, "laptops.csv"));
            Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task WithoutAnInventoryOrAnEntryTheCheckSaysWhyItIsNotAvailable()
        {
            RemoteAccessCheckResult none = await new LaptopComplianceCheck().RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);
            Assert.Equal(RemoteAccessCheckStatus.NotAvailable, none.Status);
            Assert.Contains("-LaptopInventory", none.Evidence, StringComparison.Ordinal);

            var inventory = LaptopInventory.Parse("UserName,ComputerName\nadoe,laptop-1\n", "laptops.csv");
            var check = new LaptopComplianceCheck(inventory, new RemoteOps.Core.Laptops.LaptopBaseline(), "'baseline.json'", laptop => throw new InvalidOperationException("no laptop may be contacted"), TimeSpan.FromSeconds(5));
            RemoteAccessCheckResult missing = await check.RunAsync(new RemoteAccessRequest("jsmith"), CancellationToken.None);
            Assert.Equal(RemoteAccessCheckStatus.NotAvailable, missing.Status);
            Assert.Equal("jsmith has no laptop in the inventory laptops.csv; no laptop was checked.", missing.Evidence);
        }
    }
}
