using System;
using System.Formats.Asn1;

namespace RemoteOps.Core.Rest
{
    /// <summary>
    /// Reads the SubjectPublicKeyInfo out of a DER certificate (RFC 5280 section 4.1), which
    /// netstandard2.0 cannot export by itself. Its SHA-256 is the public key pin.
    /// </summary>
    internal static class SubjectPublicKeyInfo
    {
        internal static byte[] Extract(byte[] certificateDer)
        {
            var certificate = new AsnReader(certificateDer, AsnEncodingRules.DER).ReadSequence();
            var tbs = certificate.ReadSequence();
            if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                tbs.ReadEncodedValue(); // version
            }

            tbs.ReadEncodedValue(); // serialNumber
            tbs.ReadEncodedValue(); // signature algorithm
            tbs.ReadEncodedValue(); // issuer
            tbs.ReadEncodedValue(); // validity
            tbs.ReadEncodedValue(); // subject
            return tbs.ReadEncodedValue().ToArray();
        }
    }
}
