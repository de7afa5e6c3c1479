using RemoteOps.Core.Errors;

namespace RemoteOps.Core.Rest
{
    /// <summary>
    /// Reads a vendor's error replies, so that the REST client itself knows no vendor: each
    /// driver brings the parser for its API (Connect Secure, FortiOS, and next SMC, SecurID).
    /// </summary>
    internal interface IVendorErrorParser
    {
        /// <summary>The device's own error text in a failed reply, or null when it carries none.</summary>
        string ErrorText(RestResponse response);

        /// <summary>A finer classification than the HTTP status gives (for example FortiOS -23: in use), or null.</summary>
        ApplianceErrorKind? Classify(RestResponse response);
    }
}
