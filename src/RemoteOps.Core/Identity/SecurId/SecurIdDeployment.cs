namespace RemoteOps.Core.Identity.SecurId
{
    /// <summary>Where the SecurID service runs, which decides the APIs it has.</summary>
    public enum SecurIdDeployment
    {
        /// <summary>SecurID Cloud Authentication Service (ID Plus): the Cloud Administration REST API and the Authentication API.</summary>
        Cloud,

        /// <summary>On-premises Authentication Manager 8.x: the Authentication API only (no REST administration).</summary>
        AuthenticationManager,
    }
}
