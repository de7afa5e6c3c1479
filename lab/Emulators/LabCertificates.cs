using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RemoteOps.Lab.Emulators;

/// <summary>The lab CA and the server certificate the emulator serves, plus the pins a client needs.</summary>
internal sealed class LabCertificateSet
{
    public X509Certificate2 Server { get; init; }
    public string CaCertificatePath { get; init; }
    public string ServerCertificatePath { get; init; }
    /// <summary>Uppercase hex SHA-256 over the server certificate DER, no separators.</summary>
    public string ThumbprintSha256 { get; init; }
    /// <summary>Base64 SHA-256 over the server certificate's SubjectPublicKeyInfo DER.</summary>
    public string SpkiSha256 { get; init; }
    public bool CaReused { get; init; }
    public bool ServerReused { get; init; }
}

/// <summary>
/// Creates, or reuses from the state directory, a self-signed ECDSA P-256 lab CA
/// ("CN=RemoteOps Lab CA") and a server certificate for 127.0.0.1 / localhost signed by it.
/// Files: ca.crt, ca.key, server.crt, server.key (PEM; keys PKCS#8, mode 0600).
/// </summary>
internal static class LabCertificates
{
    public const string CaSubject = "CN=RemoteOps Lab CA";
    private static readonly TimeSpan MinRemaining = TimeSpan.FromDays(2);

    public static LabCertificateSet Ensure(string dir)
    {
        string caCrt = Path.Combine(dir, "ca.crt"), caKey = Path.Combine(dir, "ca.key");
        string srvCrt = Path.Combine(dir, "server.crt"), srvKey = Path.Combine(dir, "server.key");
        DateTime now = DateTime.UtcNow;

        X509Certificate2 ca = TryLoad(caCrt, caKey);
        bool caOk = ca != null && ca.Subject == CaSubject && IsCa(ca)
                    && ca.NotBefore.ToUniversalTime() <= now.AddMinutes(5)
                    && ca.NotAfter.ToUniversalTime() - now > MinRemaining;
        if (!caOk)
        {
            ca?.Dispose();
            ca = CreateCa();
            AtomicFile.WriteText(caCrt, ca.ExportCertificatePem(), secret: false);
            AtomicFile.WriteText(caKey, ca.GetECDsaPrivateKey().ExportPkcs8PrivateKeyPem(), secret: true);
        }

        X509Certificate2 server = caOk ? TryLoad(srvCrt, srvKey) : null;
        bool serverOk = server != null && IssuedBy(server, ca) && HasLoopbackNames(server)
                        && server.NotAfter.ToUniversalTime() - now > MinRemaining;
        if (!serverOk)
        {
            server?.Dispose();
            server = CreateServer(ca);
            AtomicFile.WriteText(srvCrt, server.ExportCertificatePem(), secret: false);
            AtomicFile.WriteText(srvKey, server.GetECDsaPrivateKey().ExportPkcs8PrivateKeyPem(), secret: true);
        }
        ca.Dispose();

        return new LabCertificateSet
        {
            Server = server,
            CaCertificatePath = caCrt,
            ServerCertificatePath = srvCrt,
            ThumbprintSha256 = Convert.ToHexString(SHA256.HashData(server.RawData)),
            SpkiSha256 = Convert.ToBase64String(SHA256.HashData(server.PublicKey.ExportSubjectPublicKeyInfo())),
            CaReused = caOk,
            ServerReused = serverOk,
        };
    }

    private static X509Certificate2 CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(CaSubject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using X509Certificate2 made = req.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        // Re-create from PEM so the returned object owns its key independently of 'key'.
        return X509Certificate2.CreateFromPem(made.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static X509Certificate2 CreateServer(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication") }, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        req.CertificateExtensions.Add(san.Build(false));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

        var now = DateTimeOffset.UtcNow;
        var notAfter = now.AddDays(397);
        var caEnd = new DateTimeOffset(ca.NotAfter.ToUniversalTime()).AddMinutes(-1);
        if (notAfter > caEnd) notAfter = caEnd;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        using X509Certificate2 issued = req.Create(ca, now.AddDays(-1), notAfter, serial);
        return X509Certificate2.CreateFromPem(issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static X509Certificate2 TryLoad(string crt, string key)
    {
        try
        {
            if (!File.Exists(crt) || !File.Exists(key)) return null;
            return X509Certificate2.CreateFromPemFile(crt, key);
        }
        catch (CryptographicException) { return null; }
        catch (IOException) { return null; }
        catch (ArgumentException) { return null; }
    }

    private static bool IsCa(X509Certificate2 c)
    {
        foreach (var ext in c.Extensions)
            if (ext is X509BasicConstraintsExtension bc) return bc.CertificateAuthority;
        return false;
    }

    private static bool IssuedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        return chain.Build(leaf);
    }

    private static bool HasLoopbackNames(X509Certificate2 c)
    {
        foreach (var ext in c.Extensions)
        {
            if (ext is X509SubjectAlternativeNameExtension san)
            {
                bool ip = san.EnumerateIPAddresses().Any(a => a.Equals(IPAddress.Loopback));
                bool dns = san.EnumerateDnsNames().Any(n => n == "localhost");
                return ip && dns;
            }
        }
        return false;
    }
}

/// <summary>Writes a file by writing a temporary sibling and renaming it over the target.</summary>
internal static class AtomicFile
{
    public static void WriteText(string path, string text, bool secret)
    {
        string tmp = path + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var opts = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            opts.UnixCreateMode = secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                                         : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        using (var fs = new FileStream(tmp, opts))
        using (var w = new StreamWriter(fs, new System.Text.UTF8Encoding(false)))
        {
            w.Write(text);
            w.Flush();
            fs.Flush(true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
