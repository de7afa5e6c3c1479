namespace RemoteOps.Core.Tests.Vpn.Ocserv
{
    /// <summary>
    /// Output shaped like ocserv 1.1.6's as observed on Debian 12 (key lists as in ocserv's
    /// src/occtl/unix.c), written for these tests: human key names, numbers as strings, keys left
    /// out when empty, "Routes" twice when no routes are pushed, and "[\n]" for no users.
    /// </summary>
    internal static class OcservSamples
    {
        public const string PasswdPath = "/etc/ocserv/passwd";
        public const string OcctlSocket = "/run/occtl.socket";

        public const string Config =
            "# ocserv configuration (Debian layout)\n" +
            "auth = \"plain[passwd=/etc/ocserv/passwd]\"\n" +
            "#auth = \"pam\"\n" +
            "tcp-port = 443\n" +
            "udp-port = 443\n" +
            "run-as-user = ocserv\n" +
            "run-as-group = ocserv\n" +
            "# the worker socket: NOT occtl's\n" +
            "socket-file = /run/ocserv-socket\n" +
            "occtl-socket-file = /run/occtl.socket\n" +
            "use-occtl = true\n" +
            "#max-clients = 1024\n" +
            "max-clients = 16\n" +
            "max-same-clients = 2\n" +
            "ipv4-network = 198.19.1.0\n" +
            "ipv4-netmask = 255.255.255.0\n" +
            "route = 198.19.0.0/255.255.0.0\n" +
            "route = 198.18.0.0/255.255.0.0\n" +
            "\n" +
            "[vhost:other.example]\n" +
            "auth = \"plain[passwd=/etc/ocserv/other-passwd]\"\n" +
            "max-clients = 4\n";

        /// <summary>ocpasswd lines as written by ocpasswd 1.1.6, plus hand-edited oddities.</summary>
        public const string Passwd =
            "alice:staff,ops:$5$Qk21cY7Vdm3xvSCD$wV4H61o7K1XzII/2r8FP8sl1/5pOBYSW3Ffsr9T9of1\n" +
            "bob:*:!$5$zoGHTvxaIx65DmBo$BiWIuy8xQ1V0X4CKXXkxSvS6wiKyOu4ZLxGpKMReEn5\n" +
            "# a comment left by hand: old:*:$5$commentedhash\n" +
            "\n" +
            "carol::$5$fsgDBLllH8zYs5MK$Q8jAScpmjs96l8xsm1bHBQ0mnbvaq4yxIqO9LHwv/T7\r\n" +
            "dave:g1, g2:$5$IRA9Cy./BgoUx82i$uiRcvkUDLDsz3FfMEputpkMnR3aCieT2FqiTsfuteG1\n" +
            "twofields:$5$notausableline\n" +
            "alice:other:$5$duplicateignoredbyocserv\n";

        public const string Status =
            "{\n" +
            "  \"Status\":  \"online\",\n" +
            "  \"Server PID\":  812,\n" +
            "  \"Sec-mod PID\":  815,\n" +
            "  \"Sec-mod instance count\":  1,\n" +
            "  \"Up since\":  \"2024-05-01 08:00\",\n" +
            "  \"_Up since\":  \" 3h:26m\",\n" +
            "  \"raw_up_since\":  1714550400,\n" +
            "  \"uptime\":  12360,\n" +
            "  \"Active sessions\":  2,\n" +
            "  \"Total sessions\":  5,\n" +
            "  \"Total authentication failures\":  1,\n" +
            "  \"IPs in ban list\":  0,\n" +
            "  \"Median latency\":  \"<1ms\",\n" +
            "  \"raw_median_latency\":  0,\n" +
            "  \"STDEV latency\":  \"<1ms\",\n" +
            "  \"raw_stdev_latency\":  0,\n" +
            "  \"Last stats reset\":  \"2024-05-01 08:00\",\n" +
            "  \"_Last stats reset\":  \" 3h:26m\",\n" +
            "  \"raw_last_stats_reset\":  1714550400,\n" +
            "  \"Sessions handled\":  5,\n" +
            "  \"Timed out sessions\":  0,\n" +
            "  \"Timed out (idle) sessions\":  0,\n" +
            "  \"Closed due to error sessions\":  0,\n" +
            "  \"Authentication failures\":  1,\n" +
            "  \"Average auth time\":  \"    0s\",\n" +
            "  \"raw_avg_auth_time\":  0,\n" +
            "  \"Max auth time\":  \"    1s\",\n" +
            "  \"raw_max_auth_time\":  1,\n" +
            "  \"Average session time\":  \" 1m:02s\",\n" +
            "  \"raw_avg_session_time\":  62,\n" +
            "  \"Max session time\":  \" 2m:10s\",\n" +
            "  \"raw_max_session_time\":  130,\n" +
            "  \"Min MTU\":  1406,\n" +
            "  \"Max MTU\":  1406,\n" +
            "  \"RX\":  \"1.2 MB\",\n" +
            "  \"raw_rx\":  1234567,\n" +
            "  \"TX\":  \"3.4 MB\",\n" +
            "  \"raw_tx\":  3456789\n" +
            "}\n";

        public const string StatusOffline = "{\n  \"Status\":  \"offline\"\n}\n";

        public const string NoUsers = "[\n]\n";

        /// <summary>
        /// alice connected with no routes pushed (so "Routes" twice), bob connected with routes,
        /// and a worker still authenticating (no tunnel address, most keys absent).
        /// </summary>
        public const string Users =
            "[\n" +
            "  {\n" +
            "    \"ID\":  4242,\n" +
            "    \"Username\":  \"alice\",\n" +
            "    \"Groupname\":  \"staff\",\n" +
            "    \"State\":  \"connected\",\n" +
            "    \"vhost\":  \"default\",\n" +
            "    \"Device\":  \"vpns0\",\n" +
            "    \"MTU\":  \"1406\",\n" +
            "    \"Remote IP\":  \"198.18.0.21\",\n" +
            "    \"Location\":  \"unknown\",\n" +
            "    \"Local Device IP\":  \"198.18.0.1\",\n" +
            "    \"IPv4\":  \"198.19.1.10\",\n" +
            "    \"P-t-P IPv4\":  \"198.19.1.1\",\n" +
            "    \"User-Agent\":  \"Open AnyConnect VPN Agent v9.01-3\",\n" +
            "    \"RX\":  \"10240\",\n" +
            "    \"TX\":  \"20480\",\n" +
            "    \"_RX\":  \"10.0 KB\",\n" +
            "    \"_TX\":  \"20.0 KB\",\n" +
            "    \"Average RX\":  \"85 bytes/sec\",\n" +
            "    \"Average TX\":  \"170 bytes/sec\",\n" +
            "    \"DPD\":  \"90\",\n" +
            "    \"KeepAlive\":  \"32400\",\n" +
            "    \"Hostname\":  \"laptop-alice\",\n" +
            "    \"Connected at\":  \"2024-05-01 09:15\",\n" +
            "    \"_Connected at\":  \" 2m:00s\",\n" +
            "    \"Full session\":  \"sessionpart-not-a-secret\",\n" +
            "    \"Session\":  \"sessio\",\n" +
            "    \"TLS ciphersuite\":  \"(TLS1.2)-(ECDHE-SECP256R1)-(RSA-SHA256)-(AES-256-GCM)\",\n" +
            "    \"DTLS cipher\":  \"(DTLS1.2)-(ECDHE-RSA)-(AES-256-GCM)\",\n" +
            "    \"CSTP compression\":  \"\",\n" +
            "    \"DTLS compression\":  \"\",\n" +
            "    \"DNS\":  [],\n" +
            "    \"NBNS\":  [],\n" +
            "    \"Split-DNS-Domains\":  [],\n" +
            "    \"Routes\":  [],\n" +
            "    \"Routes\":  \"defaultroute\",\n" +
            "    \"No-routes\":  [],\n" +
            "    \"iRoutes\":  [],\n" +
            "    \"Restricted to routes\":  \"False\",\n" +
            "    \"Restricted to ports\":  []\n" +
            "  },\n" +
            "  {\n" +
            "    \"ID\":  4250,\n" +
            "    \"Username\":  \"bob\",\n" +
            "    \"Groupname\":  \"*\",\n" +
            "    \"State\":  \"connected\",\n" +
            "    \"vhost\":  \"default\",\n" +
            "    \"Device\":  \"vpns1\",\n" +
            "    \"MTU\":  \"1406\",\n" +
            "    \"Remote IP\":  \"198.18.0.22\",\n" +
            "    \"Location\":  \"unknown\",\n" +
            "    \"Local Device IP\":  \"198.18.0.1\",\n" +
            "    \"IPv4\":  \"198.19.1.11\",\n" +
            "    \"P-t-P IPv4\":  \"198.19.1.1\",\n" +
            "    \"RX\":  \"0\",\n" +
            "    \"TX\":  \"512\",\n" +
            "    \"_RX\":  \"0 bytes\",\n" +
            "    \"_TX\":  \"512 bytes\",\n" +
            "    \"Average RX\":  \"0 bytes/sec\",\n" +
            "    \"Average TX\":  \"4 bytes/sec\",\n" +
            "    \"DPD\":  \"90\",\n" +
            "    \"KeepAlive\":  \"32400\",\n" +
            "    \"Connected at\":  \"2024-05-01 10:02\",\n" +
            "    \"_Connected at\":  \" 1m:30s\",\n" +
            "    \"Full session\":  \"othersession-not-a-secret\",\n" +
            "    \"Session\":  \"others\",\n" +
            "    \"TLS ciphersuite\":  \"(TLS1.2)-(ECDHE-SECP256R1)-(RSA-SHA256)-(AES-256-GCM)\",\n" +
            "    \"CSTP compression\":  \"\",\n" +
            "    \"DTLS compression\":  \"\",\n" +
            "    \"DNS\":  [],\n" +
            "    \"NBNS\":  [],\n" +
            "    \"Split-DNS-Domains\":  [],\n" +
            "    \"Routes\":  [\"198.19.0.0/255.255.0.0\", \"198.18.0.0/255.255.0.0\"],\n" +
            "    \"No-routes\":  [],\n" +
            "    \"iRoutes\":  [],\n" +
            "    \"Restricted to routes\":  \"False\",\n" +
            "    \"Restricted to ports\":  []\n" +
            "  },\n" +
            "  {\n" +
            "    \"ID\":  4263,\n" +
            "    \"Username\":  \"carol\",\n" +
            "    \"Groupname\":  \"\",\n" +
            "    \"State\":  \"authenticating\",\n" +
            "    \"vhost\":  \"default\",\n" +
            "    \"Remote IP\":  \"198.18.0.23\",\n" +
            "    \"Location\":  \"unknown\",\n" +
            "    \"Connected at\":  \"2024-05-01 10:04\",\n" +
            "    \"_Connected at\":  \" 0s\"\n" +
            "  }\n" +
            "]\n";

        /// <summary>show id 4242 (same shape as show users, one entry).</summary>
        public static string OneUser(int id, string user) =>
            "[\n  {\n    \"ID\":  " + id + ",\n    \"Username\":  \"" + user + "\",\n    \"Groupname\":  \"*\",\n    \"State\":  \"connected\",\n" +
            "    \"Remote IP\":  \"198.18.0.21\",\n    \"IPv4\":  \"198.19.1.10\",\n    \"Routes\":  [],\n    \"Routes\":  \"defaultroute\",\n" +
            "    \"Connected at\":  \"2024-05-01 09:15\"\n  }\n]\n";
    }
}
