namespace RemoteOps.Core.Tests.Bandwidth
{
    /// <summary>
    /// A shaping policy and what the real tools printed for it: iproute2 6.1.0 and nftables 1.0.6 on
    /// Debian 12 (kernel 6.18), in a throwaway network namespace with a veth named eth1. The script
    /// and batch are what the driver rendered; the listings were printed after loading them.
    /// </summary>
    internal static class LinuxTcSamples
    {
        internal const string PolicyJson = @"{
  ""linkRate"": ""50mbit"",
  ""classes"": [
    { ""name"": ""vpn"", ""guaranteedRate"": ""20mbit"", ""priority"": 1, ""protocol"": ""Udp"", ""ports"": [""443"", ""4500""] },
    { ""name"": ""video"", ""guaranteedRate"": ""10mbit"", ""ceilingRate"": ""30mbit"", ""priority"": 2, ""dscp"": [""af41"", ""ef"", ""5""], ""destination"": [""198.19.245.0/24""] },
    { ""name"": ""updates"", ""guaranteedRate"": ""2mbit"", ""ceilingRate"": ""10mbit"", ""priority"": 6, ""source"": [""192.0.2.0/24"", ""198.51.100.7""], ""protocol"": ""Tcp"", ""sourcePorts"": [""80"", ""443"", ""8000-8080""] },
    { ""name"": ""other"", ""guaranteedRate"": ""1500kbit"", ""default"": true }
  ]
}
";

        internal const string Script = @"# Written by RemoteOps: this table is replaced as a whole on every change.
table inet remoteops_shaping
delete table inet remoteops_shaping
table inet remoteops_shaping {
	chain postrouting {
		type filter hook postrouting priority mangle; policy accept;
		oifname ""eth1"" udp dport { 443, 4500 } meta priority set 1:10 accept comment ""vpn""
		oifname ""eth1"" ip daddr 198.19.245.0/24 ip dscp { af41, ef, 5 } meta priority set 1:11 accept comment ""video""
		oifname ""eth1"" ip saddr { 192.0.2.0/24, 198.51.100.7 } tcp sport { 80, 443, 8000-8080 } meta priority set 1:12 accept comment ""updates""
		oifname ""eth1"" meta priority set 1:2 accept comment ""other""
	}
}
";

        internal const string Batch = @"qdisc add dev eth1 root handle 1: htb default 2
class replace dev eth1 parent 1: classid 1:1 estimator 1sec 4sec htb rate 50000000bit ceil 50000000bit quantum 200000
class replace dev eth1 parent 1:1 classid 1:10 estimator 1sec 4sec htb rate 20000000bit ceil 50000000bit prio 1 quantum 200000
class replace dev eth1 parent 1:1 classid 1:11 estimator 1sec 4sec htb rate 10000000bit ceil 30000000bit prio 2 quantum 125000
class replace dev eth1 parent 1:1 classid 1:12 estimator 1sec 4sec htb rate 2000000bit ceil 10000000bit prio 6 quantum 25000
class replace dev eth1 parent 1:1 classid 1:2 estimator 1sec 4sec htb rate 1500000bit ceil 50000000bit prio 4 quantum 18750
";

        internal const string RootBefore = @"[{""kind"":""noqueue"",""handle"":""0:"",""root"":true,""refcnt"":2,""options"":{}}]
";

        internal const string RootAfter = @"[{""kind"":""htb"",""handle"":""1:"",""root"":true,""refcnt"":3,""options"":{""r2q"":10,""default"":""0x2"",""direct_packets_stat"":0,""direct_qlen"":1000}}]
";

        internal const string ClassesAfter = @"class htb 1:11 parent 1:1 prio 2 rate 10Mbit ceil 30Mbit burst 1600b cburst 1593b 
 Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) 
 rate 0bit 0pps backlog 0b 0p requeues 0
 lended: 0 borrowed: 0 giants: 0
 tokens: 20000 ctokens: 6656

class htb 1:1 root rate 50Mbit ceil 50Mbit burst 1600b cburst 1600b 
 Sent 86 bytes 1 pkt (dropped 0, overlimits 0 requeues 0) 
 rate 0bit 0pps backlog 0b 0p requeues 0
 lended: 0 borrowed: 0 giants: 0
 tokens: 3785 ctokens: 3785

class htb 1:10 parent 1:1 prio 1 rate 20Mbit ceil 50Mbit burst 1600b cburst 1600b 
 Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) 
 rate 0bit 0pps backlog 0b 0p requeues 0
 lended: 0 borrowed: 0 giants: 0
 tokens: 10000 ctokens: 4000

class htb 1:2 parent 1:1 prio 4 rate 1500Kbit ceil 50Mbit burst 1599b cburst 1600b 
 Sent 86 bytes 1 pkt (dropped 0, overlimits 0 requeues 0) 
 rate 0bit 0pps backlog 0b 0p requeues 0
 lended: 1 borrowed: 0 giants: 0
 tokens: 126161 ctokens: 3785

class htb 1:12 parent 1:1 prio 6 rate 2Mbit ceil 10Mbit burst 1600b cburst 1600b 
 Sent 0 bytes 0 pkt (dropped 0, overlimits 0 requeues 0) 
 rate 0bit 0pps backlog 0b 0p requeues 0
 lended: 0 borrowed: 0 giants: 0
 tokens: 100000 ctokens: 20000

";

        internal const string TableAfter = @"{""nftables"": [{""metainfo"": {""version"": ""1.0.6"", ""release_name"": ""Lester Gooch #5"", ""json_schema_version"": 1}}, {""table"": {""family"": ""inet"", ""name"": ""remoteops_shaping"", ""handle"": 4}}, {""chain"": {""family"": ""inet"", ""table"": ""remoteops_shaping"", ""name"": ""postrouting"", ""handle"": 1, ""type"": ""filter"", ""hook"": ""postrouting"", ""prio"": -150, ""policy"": ""accept""}}, {""rule"": {""family"": ""inet"", ""table"": ""remoteops_shaping"", ""chain"": ""postrouting"", ""handle"": 3, ""comment"": ""vpn"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""meta"": {""key"": ""oifname""}}, ""right"": ""eth1""}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""udp"", ""field"": ""dport""}}, ""right"": {""set"": [443, 4500]}}}, {""mangle"": {""key"": {""meta"": {""key"": ""priority""}}, ""value"": ""1:10""}}, {""accept"": null}]}}, {""rule"": {""family"": ""inet"", ""table"": ""remoteops_shaping"", ""chain"": ""postrouting"", ""handle"": 5, ""comment"": ""video"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""meta"": {""key"": ""oifname""}}, ""right"": ""eth1""}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""ip"", ""field"": ""daddr""}}, ""right"": {""prefix"": {""addr"": ""198.19.245.0"", ""len"": 24}}}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""ip"", ""field"": ""dscp""}}, ""right"": {""set"": [5, ""af41"", ""ef""]}}}, {""mangle"": {""key"": {""meta"": {""key"": ""priority""}}, ""value"": ""1:11""}}, {""accept"": null}]}}, {""rule"": {""family"": ""inet"", ""table"": ""remoteops_shaping"", ""chain"": ""postrouting"", ""handle"": 8, ""comment"": ""updates"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""meta"": {""key"": ""oifname""}}, ""right"": ""eth1""}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""ip"", ""field"": ""saddr""}}, ""right"": {""set"": [{""prefix"": {""addr"": ""192.0.2.0"", ""len"": 24}}, ""198.51.100.7""]}}}, {""match"": {""op"": ""=="", ""left"": {""payload"": {""protocol"": ""tcp"", ""field"": ""sport""}}, ""right"": {""set"": [80, 443, {""range"": [8000, 8080]}]}}}, {""mangle"": {""key"": {""meta"": {""key"": ""priority""}}, ""value"": ""1:12""}}, {""accept"": null}]}}, {""rule"": {""family"": ""inet"", ""table"": ""remoteops_shaping"", ""chain"": ""postrouting"", ""handle"": 9, ""comment"": ""other"", ""expr"": [{""match"": {""op"": ""=="", ""left"": {""meta"": {""key"": ""oifname""}}, ""right"": ""eth1""}}, {""mangle"": {""key"": {""meta"": {""key"": ""priority""}}, ""value"": ""1:2""}}, {""accept"": null}]}}]}
";

        internal const string MissingTable = @"Error: No such file or directory
list table inet remoteops_shaping
                ^^^^^^^^^^^^^^^^^
";

        // tc -batch stops at a line it cannot read and names it (iproute2 6.1.0).
        internal const string BatchRefused = "Illegal \"ceil\"\nUsage: ... qdisc add ... htb [default N] [r2q N]\nCommand failed -:2\n";
    }
}
