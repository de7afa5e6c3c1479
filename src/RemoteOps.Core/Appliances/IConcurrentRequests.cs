namespace RemoteOps.Core.Appliances
{
    /// <summary>
    /// A driver that bounds how many requests it sends to its device at the same time, and lets
    /// a cmdlet that works on many items in parallel raise that bound to its -ThrottleLimit.
    /// </summary>
    public interface IConcurrentRequests
    {
        /// <summary>Allows up to <paramref name="count"/> requests at once; a lower number than the current bound changes nothing.</summary>
        void AllowConcurrentRequests(int count);
    }
}
